package com.diotec360.lattice.operator.act;


import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.RolloutStatus;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.IsoInstants;
import com.diotec360.lattice.operator.observe.NodeReport;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A member's side of the lattice roller: changes that restart a node (anything in its pod
 * template: image, env, resources, config, a restart request) reach one member at a time, and only
 * while enough members stay Consistent. Whose turn it is, the lattice decides once ({@link
 * RolloutGate}, in the lattice's reconciler); here a member applies its new template when its
 * lattice's decision says it may. A change that restarts nobody (replicas of a suspended node)
 * applies at once.
 *
 * <p>Per reconcile, twice: {@link #step} before the dependents run (apply the new template now, or
 * keep the running one), and {@link #status} after (which revision runs, whether the node has come
 * back Ready and Consistent on it, what it waits for, and whether it is stuck). The wanted and
 * running revisions in the member's status are what the lattice's roller reads.
 *
 * <p>A member is <em>restarting</em> while its Deployment runs a revision it has not been seen Ready
 * and Consistent on ({@code status.rollout.settledRevision}); the lattice waits for it. That fact
 * lives in the Deployments and the statuses, so a new operator leader picks the rollout up where
 * the last one left it.
 */
public final class Rollouts {

  /** Revisions a node must not be judged on any more: when a rollout was first seen finished. */
  private record Seen(String revision, Instant at) {}

  private final Duration recheck;
  private final Map<ResourceID, Seen> rolledOut = new ConcurrentHashMap<>();

  /** @param recheck how often a node that waits or restarts is looked at again (the probe interval) */
  public Rollouts(Duration recheck) {
    this.recheck = recheck;
  }

  /**
   * Decides, before the dependents run, whether the node's new pod template is applied now: at
   * once when nothing runs yet, the node is suspended or runs it already; else when its lattice's
   * decision gives it its turn.
   *
   * @param wanted the revision of the pod template the node's spec asks for
   * @param live the node's Deployment as it is
   * @param runsWanted whether {@code live} runs that template already (the Deployment's dependent
   *     compares them)
   * @param share the node's share of its lattice's decision, empty before the lattice decided
   */
  public RolloutStep step(
      LatticeNode node, String wanted, Optional<Deployment> live, boolean runsWanted,
      Optional<LatticeDecision.ForMember> share) {
    if (live.isEmpty()
        || node.getSpec().suspended()
        || runsWanted
        || share.map(LatticeDecision.ForMember::mayRestart).orElse(false)) {
      return RolloutStep.apply(wanted);
    }
    RolloutGate.Decision waiting = share.map(LatticeDecision.ForMember::waiting).orElse(null);
    return waiting == null
        ? new RolloutStep(wanted, true, "it waits for its lattice to give it its turn", false)
        : new RolloutStep(wanted, true, waiting.waitingFor(), waiting.blocking());
  }

  /** The node's rollout status, and when to look at the node again. */
  public record Outcome(RolloutStatus status, Optional<Duration> recheckAfter) {}

  /**
   * The node's rollout status after the dependents ran.
   *
   * @param live the node's Deployment now (after this reconcile's writes)
   * @param verdict the judge's verdict on the node, or null before its lattice decided
   * @param deadline how long a member may restart (or wait at the head of the line) before its
   *     rollout is stuck
   */
  public Outcome status(
      LatticeNode node,
      RolloutStep step,
      Optional<Deployment> live,
      Optional<NodeReport> report,
      Verdict verdict,
      Duration deadline,
      Instant now) {
    RolloutStatus stored =
        node.getStatus() == null || node.getStatus().getRollout() == null
            ? new RolloutStatus()
            : node.getStatus().getRollout();
    RolloutStatus r = stored.copy();
    String running = live.map(DeploymentRevisions::revisionOf).orElse(null);
    String storedBase = base(stored);
    boolean firstRevision =
        stored.getRevision() == null
            || (RolloutStatus.STARTING.equals(storedBase) && Objects.equals(running, stored.getRevision()));
    r.setRevision(running);
    r.setWantedRevision(step.wantedRevision());

    boolean suspended = node.getSpec().suspended();
    if (suspended) {
      r.setSettledRevision(null); // coming back from zero is a restart the lattice waits for
      rolledOut.remove(ResourceID.fromResource(node));
    } else if (running != null
        && !running.equals(stored.getSettledRevision())
        && back(node, live.get(), report, verdict, !firstRevision, now)) {
      r.setSettledRevision(running);
      rolledOut.remove(ResourceID.fromResource(node));
    }

    String base;
    String message;
    if (node.paused()) {
      base = RolloutStatus.PAUSED;
      message =
          "Paused by the annotation " + LatticeNode.PAUSED_ANNOTATION + ": runs revision "
              + running + ", the spec asks for " + step.wantedRevision();
    } else if (suspended) {
      base = RolloutStatus.SUSPENDED;
      message = "Suspended (spec.suspend): scaled to zero";
    } else if (running == null) {
      base = RolloutStatus.STARTING;
      message = "Waiting for the node's Deployment";
    } else if (!running.equals(step.wantedRevision())) {
      base = RolloutStatus.WAITING;
      message =
          "Revision " + step.wantedRevision() + " waits: "
              + Objects.requireNonNullElse(step.waitingFor(), "it is being applied");
    } else if (running.equals(r.getSettledRevision())) {
      base = RolloutStatus.UP_TO_DATE;
      message = "Runs revision " + running + " and was Ready and Consistent on it";
    } else if (firstRevision) {
      base = RolloutStatus.STARTING;
      message = "Waiting for the node to become Ready and Consistent for the first time";
    } else {
      base = RolloutStatus.RESTARTING;
      message =
          "Restarted onto revision " + running + "; waiting for it to become Ready and Consistent";
    }
    if (!base.equals(storedBase) || stored.getSince() == null) {
      r.setSince(now.toString());
    }
    Instant since = Objects.requireNonNullElse(IsoInstants.parseOrNull(r.getSince()), now);
    boolean overdue = !now.isBefore(since.plus(deadline));
    String state = base;
    if (overdue && RolloutStatus.RESTARTING.equals(base)) {
      state = RolloutStatus.STUCK;
      message =
          "Restarted onto revision " + running + " at " + r.getSince() + " and not Ready and"
              + " Consistent within " + deadline.toSeconds() + " s: " + why(live.get(), report, verdict)
              + ". Nothing else in lattice " + node.getSpec().getLattice() + " restarts until it"
              + " is; fix its spec, or restart it with the annotation "
              + LatticeNode.RESTART_ANNOTATION;
    } else if (overdue && RolloutStatus.WAITING.equals(base) && step.blocking()) {
      state = RolloutStatus.STUCK;
      message =
          "Revision " + step.wantedRevision() + " has waited since " + r.getSince() + " (over "
              + deadline.toSeconds() + " s): " + step.waitingFor();
    }
    r.setState(state);
    r.setMessage(message);

    Optional<Duration> again =
        Set.of(RolloutStatus.WAITING, RolloutStatus.RESTARTING, RolloutStatus.STARTING).contains(base)
            ? Optional.of(recheck)
            : Optional.empty();
    return new Outcome(r, again);
  }

  /** The state before a stuck rollout was called stuck. */
  private static String base(RolloutStatus stored) {
    if (!RolloutStatus.STUCK.equals(stored.getState())) {
      return stored.getState();
    }
    return Objects.equals(stored.getRevision(), stored.getWantedRevision())
        ? RolloutStatus.RESTARTING
        : RolloutStatus.WAITING;
  }

  /**
   * True when the node runs its revision Ready and Consistent: the Deployment rolled out, the node
   * answers, and it holds the lattice's reference root. After a restart the answer must come after
   * the rollout finished, so the old pod's last answer does not count.
   */
  private boolean back(
      LatticeNode node,
      Deployment live,
      Optional<NodeReport> report,
      Verdict verdict,
      boolean afterRestart,
      Instant now) {
    ResourceID id = ResourceID.fromResource(node);
    String running = DeploymentRevisions.revisionOf(live);
    if (!DeploymentRevisions.rolledOut(live)) {
      rolledOut.remove(id);
      return false;
    }
    Seen seen =
        rolledOut.compute(
            id, (k, old) -> old != null && old.revision().equals(running) ? old : new Seen(running, now));
    if (verdict != Verdict.CONSISTENT || report.isEmpty() || !report.get().eligible()) {
      return false;
    }
    Instant answered = report.get().answeredAt();
    return !afterRestart || (answered != null && answered.isAfter(seen.at()));
  }

  private static String why(Deployment live, Optional<NodeReport> report, Verdict verdict) {
    if (!DeploymentRevisions.rolledOut(live)) {
      var status = live.getStatus();
      int available = status == null ? 0 : Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
      return "its Deployment has not rolled out (" + available + " of "
          + live.getSpec().getReplicas() + " replicas available)";
    }
    if (report.isEmpty() || !report.get().reachable()) {
      return "it does not answer the operator's probes";
    }
    if (!report.get().eligible()) {
      return "it reports itself unhealthy";
    }
    return verdict == null ? "its lattice has not judged it yet" : "its Merkle verdict is " + verdict.reason();
  }

  /** Forgets a node that is gone. */
  public void forget(ResourceID node) {
    rolledOut.remove(node);
  }
}
