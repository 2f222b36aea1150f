package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeSummary;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberJudgement;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.observe.NodeReport;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a node's status in one place: phase, observedGeneration, what the probes saw, the judge's
 * verdict and the conditions Ready, Reachable, MerkleConsistent and P2PConnected. Pure: what was
 * seen and the time in, the new status out; the reconciler writes it only when it differs.
 */
public final class StatusAggregator {

  public static final String READY = "Ready";

  public static final String PHASE_PENDING = "Pending";
  public static final String PHASE_RUNNING = "Running";
  public static final String PHASE_INVALID = "Invalid";

  public static final String REASON_AVAILABLE = "DeploymentAvailable";
  public static final String REASON_PROGRESSING = "DeploymentNotAvailable";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";
  public static final String REASON_NODE_UNREACHABLE = "NodeUnreachable";
  public static final String REASON_NODE_UNHEALTHY = "NodeUnhealthy";

  public static final String REACHABLE = "Reachable";
  public static final String MERKLE_CONSISTENT = "MerkleConsistent";
  public static final String P2P_CONNECTED = "P2PConnected";

  public static final String REASON_NOT_PROBED = "NotProbed";
  public static final String REASON_PROBE_SUCCEEDED = "ProbeSucceeded";
  public static final String REASON_PROBE_FAILED = "ProbeFailed";
  public static final String REASON_P2P_PEERS = "P2PPeers";
  public static final String REASON_HTTP_FALLBACK = "HttpFallback";
  public static final String REASON_HTTP_MODE = "HttpMode";
  public static final String REASON_P2P_NOT_RUNNING = "P2PNotRunning";
  public static final String REASON_NO_PEERS = "NoPeers";

  /** Length of status.rootShort (the printer column). */
  public static final int ROOT_SHORT = 12;

  /** Status of a node whose spec cannot be applied. */
  public LatticeNodeStatus invalid(LatticeNode node, List<String> problems, Instant now) {
    LatticeNodeStatus previous = previous(node);
    LatticeNodeStatus status = previous.copy();
    status.setObservedGeneration(node.getMetadata().getGeneration());
    status.setPhase(PHASE_INVALID);
    status.setConditions(
        Conditions.with(
            previous.getConditions(),
            READY,
            Conditions.FALSE,
            REASON_INVALID_SPEC,
            String.join("; ", problems),
            node.getMetadata().getGeneration(),
            now));
    return status;
  }

  /** Status of a node whose objects were reconciled. */
  public LatticeNodeStatus reconciled(
      LatticeNode node, NodePlan plan, Optional<Deployment> deployment, Instant now) {
    LatticeNodeStatus previous = previous(node);
    LatticeNodeStatus status = previous.copy();
    boolean available = deployment.map(StatusAggregator::isAvailable).orElse(false);
    status.setObservedGeneration(node.getMetadata().getGeneration());
    status.setPhase(available ? PHASE_RUNNING : PHASE_PENDING);
    status.setAddress(ResourceNames.nodeUrl(plan.name(), plan.namespace()));
    status.setPeers(plan.peers());
    status.setConditions(
        Conditions.with(
            previous.getConditions(),
            READY,
            available ? Conditions.TRUE : Conditions.FALSE,
            available ? REASON_AVAILABLE : REASON_PROGRESSING,
            available
                ? "The node's Deployment is available"
                : "Waiting for the node's Deployment to become available",
            node.getMetadata().getGeneration(),
            now));
    return status;
  }

  /**
   * Adds what the probes and the judge found to a reconciled status: the node's root, version,
   * sync mode and peers; the verdict and its memory; the lattice summary; the conditions.
   */
  public LatticeNodeStatus watched(
      LatticeNode node,
      LatticeNodeStatus reconciled,
      Optional<NodeReport> report,
      LatticeJudgement lattice,
      MemberJudgement judgement,
      Instant now) {
    LatticeNodeStatus status = reconciled.copy();
    Long generation = node.getMetadata().getGeneration();
    NodeObservation seen = report.map(NodeReport::observation).orElse(null);
    if (seen != null) {
      status.setMerkleRoot(seen.merkleRoot());
      status.setRootShort(seen.merkleRoot().substring(0, Math.min(ROOT_SHORT, seen.merkleRoot().length())));
      status.setVersion(seen.version());
      status.setSyncMode(seen.syncMode());
      status.setSyncModeSince(seen.syncModeSince() == null ? null : seen.syncModeSince().toString());
      status.setPeerCount(seen.peerCount());
    }
    report.ifPresent(r -> status.setLastProbeTime(r.probedAt().toString()));
    status.setConsistency(judgement.verdict().reason());
    status.setMismatchSince(text(judgement.mismatchSince()));
    status.setDivergedSince(text(judgement.divergedSince()));
    status.setLattice(
        new LatticeSummary(lattice.referenceRoot(), lattice.agreeing(), lattice.total()));

    var conditions = status.getConditions();
    boolean probed = seen != null || report.map(r -> !r.reachable()).orElse(false);
    boolean reachable = report.map(NodeReport::reachable).orElse(false) && seen != null;
    if (!probed) {
      conditions = Conditions.with(conditions, REACHABLE, Conditions.UNKNOWN, REASON_NOT_PROBED,
          "The operator has had no answer from the node yet", generation, now);
    } else if (reachable) {
      conditions = Conditions.with(conditions, REACHABLE, Conditions.TRUE, REASON_PROBE_SUCCEEDED,
          "The node answers the operator's probes", generation, now);
    } else {
      conditions = Conditions.with(conditions, REACHABLE, Conditions.FALSE, REASON_PROBE_FAILED,
          "The node did not answer the operator's last probes", generation, now);
    }
    conditions = Conditions.with(conditions, MERKLE_CONSISTENT, merkleStatus(judgement.verdict()),
        judgement.verdict().reason(), merkleMessage(judgement.verdict()), generation, now);
    conditions = p2pConnected(conditions, reachable ? seen : null, generation, now);
    if (PHASE_RUNNING.equals(status.getPhase()) && probed && !reachable) {
      conditions = Conditions.with(conditions, READY, Conditions.FALSE, REASON_NODE_UNREACHABLE,
          "The node's Deployment is available but the node does not answer", generation, now);
    } else if (PHASE_RUNNING.equals(status.getPhase()) && reachable && !seen.healthy()) {
      conditions = Conditions.with(conditions, READY, Conditions.FALSE, REASON_NODE_UNHEALTHY,
          "The node reports itself unhealthy: " + seen.unhealthyReason(), generation, now);
    }
    status.setConditions(conditions);
    return status;
  }

  private static java.util.List<io.fabric8.kubernetes.api.model.Condition> p2pConnected(
      java.util.List<io.fabric8.kubernetes.api.model.Condition> conditions,
      NodeObservation seen, Long generation, Instant now) {
    String status;
    String reason;
    String message;
    if (seen == null || seen.syncMode() == null) {
      status = Conditions.UNKNOWN;
      reason = Verdict.UNOBSERVED.reason();
      message = "The node's sync mode is not known";
    } else if ("P2P".equals(seen.syncMode()) && seen.peerCount() > 0) {
      status = Conditions.TRUE;
      reason = REASON_P2P_PEERS;
      message = "The node syncs over P2P with its peers";
    } else if ("P2P".equals(seen.syncMode())) {
      status = Conditions.FALSE;
      reason = REASON_NO_PEERS;
      message = "The node is on P2P but has no P2P peers";
    } else if ("auto".equals(seen.mode())) {
      status = Conditions.FALSE;
      reason = REASON_HTTP_FALLBACK;
      message = "The node had no P2P peers for its peerless timeout and fell back to HTTP polling";
    } else if ("http".equals(seen.mode())) {
      status = Conditions.FALSE;
      reason = REASON_HTTP_MODE;
      message = "The node is set to HTTP sync";
    } else {
      status = Conditions.FALSE;
      reason = REASON_P2P_NOT_RUNNING;
      message = "The node's P2P network is not running; it syncs over HTTP";
    }
    return Conditions.with(conditions, P2P_CONNECTED, status, reason, message, generation, now);
  }

  private static String merkleStatus(Verdict verdict) {
    return switch (verdict) {
      case CONSISTENT -> Conditions.TRUE;
      case BEHIND, AHEAD, DIVERGED -> Conditions.FALSE;
      case NO_QUORUM, UNOBSERVED -> Conditions.UNKNOWN;
    };
  }

  private static String merkleMessage(Verdict verdict) {
    return switch (verdict) {
      case CONSISTENT -> "The node holds the lattice's reference Merkle root";
      case BEHIND -> "The node has fewer entries than the reference and is within the grace period";
      case AHEAD -> "The node holds entries the reference lacks and is within the grace period";
      case DIVERGED ->
          "The node's Merkle root has differed from the lattice's reference root for longer than"
              + " the grace period";
      case NO_QUORUM -> "No Merkle root is held by a strict majority of the lattice's members";
      case UNOBSERVED -> "The node is unreachable, unhealthy or not probed yet";
    };
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** A Deployment is available when its Available condition is True or a replica is available. */
  static boolean isAvailable(Deployment deployment) {
    var status = deployment.getStatus();
    if (status == null) {
      return false;
    }
    boolean availableCondition =
        Objects.requireNonNullElse(status.getConditions(), List.<io.fabric8.kubernetes.api.model.apps.DeploymentCondition>of())
            .stream()
            .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    Integer replicas = status.getAvailableReplicas();
    return availableCondition || (replicas != null && replicas > 0);
  }

  private static LatticeNodeStatus previous(LatticeNode node) {
    return node.getStatus() == null ? new LatticeNodeStatus() : node.getStatus();
  }
}
