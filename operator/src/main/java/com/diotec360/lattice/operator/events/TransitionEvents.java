package com.diotec360.lattice.operator.events;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.RolloutStatus;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.judge.SyncModeTracker;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.metrics.LatticeMetrics;
import com.diotec360.lattice.operator.observe.IsoInstants;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces transitions between the previous and the new status as Events (stable reasons and
 * messages, so Kubernetes aggregates them) and counters. Nothing here fires when nothing flipped.
 *
 * <p>"Previous" is the status this operator last computed for the node when it has one in memory,
 * else the node's stored status: a reconcile can run on a cached copy that does not show the status
 * just written yet, and must not announce the same transition twice. After a restart the stored
 * status is used, so a restart neither repeats nor loses a transition.
 */
public final class TransitionEvents {


  private static final Logger LOG = LoggerFactory.getLogger(TransitionEvents.class);

  private final EventRecorder events;
  private final LatticeMetrics metrics;
  private final int unreachableAfter;
  private final Map<ResourceID, LatticeNodeStatus> announced = new ConcurrentHashMap<>();

  public TransitionEvents(EventRecorder events, LatticeMetrics metrics, int unreachableAfter) {
    this.events = events;
    this.metrics = metrics;
    this.unreachableAfter = unreachableAfter;
  }

  /**
   * @param before the stored status (null for a new node)
   * @param after the status just computed
   * @param starting true while the node has never been available (within the startup deadline)
   */
  public void announce(
      LatticeNode node, LatticeNodeStatus before, LatticeNodeStatus after, boolean starting,
      Instant now) {
    ResourceID id = ResourceID.fromResource(node);
    LatticeNodeStatus remembered = announced.put(id, after);
    LatticeNodeStatus old =
        remembered != null ? remembered : before == null ? new LatticeNodeStatus() : before;
    String lattice = node.getSpec().getLattice();
    metrics.judged(id, after, starting);

    if (old.getDivergedSince() == null && after.getDivergedSince() != null
        && Verdict.SPLIT.reason().equals(after.getConsistency())) {
      metrics.divergence(id, lattice);
      events.warning(node, Reason.LATTICE_SPLIT,
          "Lattice " + lattice + " is split: its members hold different Merkle roots and no root"
              + " is held by a strict majority");
    } else if (after.getDivergedSince() != null
        && after.getDivergence() != null
        && !Verdict.SPLIT.reason().equals(after.getConsistency())
        && (old.getDivergedSince() == null || old.getDivergence() == null)) {
      // Announced once the Merkle comparison says where the roots differ (or that it cannot).
      metrics.divergence(id, lattice);
      events.warning(node, Reason.MERKLE_DIVERGENCE,
          "The node's Merkle root has differed from the lattice's reference root for longer than"
              + " the grace period: " + after.getDivergence().getSummary());
    } else if (old.getDivergedSince() != null
        && Verdict.CONSISTENT.reason().equals(after.getConsistency())) {
      events.normal(node, Reason.MERKLE_CONVERGED,
          "The node's Merkle root matches the lattice's reference root again");
    }

    SyncModeTracker.transition(
            old.getSyncMode(), after.getSyncMode(), IsoInstants.parseOrNull(after.getSyncModeSince()), now)
        .ifPresent(t -> {
          metrics.syncModeChanged(id, lattice, t.from(), t.to());
          // The Event's message stays stable for aggregation; the log line says when it happened.
          LOG.info("{}/{} sync mode {} -> {} at {} (lattice {})", id.getNamespace().orElse(""),
              id.getName(), t.from(), t.to(), t.at(), lattice);
          String message = "Sync mode changed from " + t.from() + " to " + t.to();
          String asked = askedForHttp(node);
          if (t.isDegradation() && asked != null) {
            events.normal(node, Reason.SYNC_MODE_CHANGED, message + ": " + asked);
          } else if (t.isDegradation()) {
            events.warning(node, Reason.SYNC_MODE_CHANGED,
                message + ": no P2P peers, HTTP polling took over");
          } else if (t.isRecovery()) {
            events.normal(node, Reason.SYNC_MODE_CHANGED, message + ": P2P peers are back");
          } else {
            events.normal(node, Reason.SYNC_MODE_CHANGED, message);
          }
        });

    announceRollout(node, old.getRollout(), after.getRollout());

    String wasReachable = reachable(old);
    String isReachable = reachable(after);
    if (Conditions.FALSE.equals(isReachable) && !Conditions.FALSE.equals(wasReachable)) {
      events.warning(node, Reason.NODE_UNREACHABLE,
          "The node did not answer " + unreachableAfter + " probes in a row");
    } else if (Conditions.TRUE.equals(isReachable) && Conditions.FALSE.equals(wasReachable)) {
      events.normal(node, Reason.NODE_RECOVERED, "The node answers probes again");
    }
  }

  private void announceRollout(LatticeNode node, RolloutStatus old, RolloutStatus now) {
    if (now == null) {
      return;
    }
    String was = old == null ? null : old.getRevision();
    if (was != null && now.getRevision() != null && !was.equals(now.getRevision())) {
      events.normal(node, Reason.ROLLOUT_RESTART,
          "Restarting the node onto pod-template revision " + now.getRevision()
              + " (one member of the lattice at a time)");
    }
    boolean wasStuck = old != null && RolloutStatus.STUCK.equals(old.getState());
    if (!wasStuck && RolloutStatus.STUCK.equals(now.getState())) {
      events.warning(node, Reason.ROLLOUT_STUCK, now.getMessage());
    }
  }

  /** Why the spec itself puts the node on HTTP, or null when it does not (auto fell back). */
  private static String askedForHttp(LatticeNode node) {
    var sync = node.getSpec().getSync();
    if (sync == null) {
      return null;
    }
    if (sync.getMode() == com.diotec360.lattice.operator.api.v1alpha1.SyncMode.HTTP) {
      return "spec.sync.mode is http, as asked";
    }
    if (sync.getP2p() != null && Boolean.FALSE.equals(sync.getP2p().getEnabled())) {
      return "spec.sync.p2p.enabled is false, as asked";
    }
    return null;
  }

  /** Forgets a node that is gone. */
  public void forget(ResourceID node) {
    announced.remove(node);
  }

  private static String reachable(LatticeNodeStatus status) {
    return Conditions.find(status.getConditions(), StatusAggregator.REACHABLE)
        .map(Condition::getStatus)
        .filter(Objects::nonNull)
        .orElse(Conditions.UNKNOWN);
  }
}
