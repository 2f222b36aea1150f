package com.diotec360.lattice.operator.act;

import com.diotec360.lattice.operator.act.DeploymentRevisions;
import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.RolloutStatus;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A node's rollout status: when it counts as back, and when its rollout is stuck. */
class RolloutsTest {

  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Rollouts rollouts = new Rollouts(Duration.ofSeconds(2));
  private final LatticeNode node = Nodes.node("n1", "lat");

  @Test
  void aFirstStartIsUpToDateOnceConsistent() {
    RolloutStatus starting = run("r1", "r1", false, Optional.empty(), Verdict.UNOBSERVED, T0);
    assertThat(starting.getState()).isEqualTo(RolloutStatus.STARTING);

    RolloutStatus up = run("r1", "r1", true, answered(T0.plusSeconds(1)), Verdict.CONSISTENT, T0.plusSeconds(2));
    assertThat(up.getState()).isEqualTo(RolloutStatus.UP_TO_DATE);
    assertThat(up.getSettledRevision()).isEqualTo("r1");
  }

  @Test
  void afterARestartOnlyAnAnswerFromAfterTheRolloutCounts() {
    settleOn("r1");
    // The roller applied r2; the Deployment rolled out at T0+10, and the last answer is older.
    RolloutStatus restarting =
        run("r2", "r2", true, answered(T0.plusSeconds(5)), Verdict.CONSISTENT, T0.plusSeconds(10));
    assertThat(restarting.getState()).isEqualTo(RolloutStatus.RESTARTING);
    assertThat(restarting.getSettledRevision()).isEqualTo("r1");

    RolloutStatus back =
        run("r2", "r2", true, answered(T0.plusSeconds(11)), Verdict.CONSISTENT, T0.plusSeconds(12));
    assertThat(back.getState()).isEqualTo(RolloutStatus.UP_TO_DATE);
    assertThat(back.getSettledRevision()).isEqualTo("r2");
  }

  @Test
  void aMemberThatDoesNotComeBackWithinTheDeadlineIsStuck() {
    settleOn("r1");
    run("r2", "r2", false, answered(T0), Verdict.UNOBSERVED, T0.plusSeconds(10));
    RolloutStatus before =
        run("r2", "r2", true, answered(T0.plusSeconds(60)), Verdict.DIVERGED, T0.plusSeconds(60));
    assertThat(before.getState()).isEqualTo(RolloutStatus.RESTARTING);

    RolloutStatus stuck =
        run("r2", "r2", true, answered(T0.plusSeconds(70)), Verdict.DIVERGED, T0.plusSeconds(71));
    assertThat(stuck.getState()).isEqualTo(RolloutStatus.STUCK);
    assertThat(stuck.getMessage())
        .startsWith("Restarted onto revision r2 at 2026-11-01T00:00:10Z and not Ready and Consistent within 60 s")
        .contains("its Merkle verdict is Diverged")
        .contains("lattice.diotec360.com/restart");

    RolloutStatus recovered =
        run("r2", "r2", true, answered(T0.plusSeconds(80)), Verdict.CONSISTENT, T0.plusSeconds(81));
    assertThat(recovered.getState()).isEqualTo(RolloutStatus.UP_TO_DATE);
  }

  @Test
  void aHeldRevisionWaitsAndIsStuckOnlyWhenItIsFirstInLine() {
    settleOn("r1");
    RolloutStep blocked = new RolloutStep("r2", true, "restarting n1 now would leave ...", true);
    RolloutStatus waiting = run(blocked, "r1", true, answered(T0.plusSeconds(5)), Verdict.CONSISTENT, T0.plusSeconds(5));
    assertThat(waiting.getState()).isEqualTo(RolloutStatus.WAITING);
    assertThat(waiting.getMessage()).isEqualTo("Revision r2 waits: restarting n1 now would leave ...");

    RolloutStep turn = new RolloutStep("r2", true, "waiting for n0 to restart first", false);
    assertThat(run(turn, "r1", true, answered(T0.plusSeconds(100)), Verdict.CONSISTENT, T0.plusSeconds(100)).getState())
        .isEqualTo(RolloutStatus.WAITING);
    assertThat(run(blocked, "r1", true, answered(T0.plusSeconds(101)), Verdict.CONSISTENT, T0.plusSeconds(101)).getState())
        .isEqualTo(RolloutStatus.STUCK);
  }

  private void settleOn(String revision) {
    run(revision, revision, true, answered(T0.minusSeconds(9)), Verdict.CONSISTENT, T0.minusSeconds(10));
    RolloutStatus settled =
        run(revision, revision, true, answered(T0.minusSeconds(8)), Verdict.CONSISTENT, T0.minusSeconds(8));
    assertThat(settled.getSettledRevision()).isEqualTo(revision);
  }

  private RolloutStatus run(
      String wanted, String running, boolean rolledOut, Optional<NodeReport> report, Verdict verdict, Instant now) {
    return run(RolloutStep.apply(wanted), running, rolledOut, report, verdict, now);
  }

  private RolloutStatus run(
      RolloutStep step, String running, boolean rolledOut, Optional<NodeReport> report, Verdict verdict,
      Instant now) {
    RolloutStatus status =
        rollouts.status(node, step, Optional.of(deployment(running, rolledOut)), report, verdict, DEADLINE, now).status();
    LatticeNodeStatus stored = node.getStatus() == null ? new LatticeNodeStatus() : node.getStatus();
    stored.setRollout(status);
    node.setStatus(stored);
    return status;
  }

  private static Optional<NodeReport> answered(Instant at) {
    NodeObservation seen = new NodeObservation(true, null, "ab", 1, "P2P", "auto", T0, 1);
    return Optional.of(new NodeReport(true, 0, T0.minusSeconds(100), null, seen, at));
  }

  private static Deployment deployment(String revision, boolean rolledOut) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("n1")
        .withGeneration(2L)
        .withAnnotations(Map.of(DeploymentRevisions.REVISION_ANNOTATION, revision))
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(2L)
        .withReplicas(1)
        .withUpdatedReplicas(1)
        .withAvailableReplicas(rolledOut ? 1 : 0)
        .endStatus()
        .build();
  }
}
