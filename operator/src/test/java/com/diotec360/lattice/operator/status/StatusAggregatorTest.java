package com.diotec360.lattice.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.plan.NodePlanner;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status is built in one pass against the stored one: the same inputs at two different times
 * give an equal status (so the reconciler writes nothing), and a node that is only starting is
 * never reported as an outage.
 */
class StatusAggregatorTest {

  private static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant T1 = CREATED.plusSeconds(3600);
  private static final Instant T2 = T1.plusSeconds(47);
  private static final String ROOT = "a".repeat(64);
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  private static final Duration REFRESH = Duration.ofSeconds(60);

  private final StatusAggregator aggregator = new StatusAggregator(DEADLINE, REFRESH);
  private final LatticeJudge judge = new LatticeJudge(Duration.ofSeconds(60));

  /** The situations a lattice sits in for hours: none of them may cause a write per reconcile. */
  static Stream<Arguments> idleSituations() {
    NodeObservation healthy = new NodeObservation(true, null, ROOT, 3, "P2P", "auto", CREATED, 1);
    NodeObservation fellBack = new NodeObservation(true, null, ROOT, 3, "HTTP", "auto", CREATED, 0);
    NodeObservation sick = new NodeObservation(false, "disk full", ROOT, 3, "P2P", "auto", CREATED, 1);
    NodeReport answered = new NodeReport(true, 0, CREATED, null, healthy);
    NodeReport silent = new NodeReport(false, 5, CREATED, "connect timed out", healthy);
    NodeReport neverAnswered = new NodeReport(false, 5, CREATED, "connection refused", null);
    return Stream.of(
        Arguments.of("healthy and consistent", true, Optional.of(answered)),
        Arguments.of("on HTTP fallback", true, Optional.of(new NodeReport(true, 0, CREATED, null, fellBack))),
        Arguments.of("reporting itself unhealthy", true, Optional.of(new NodeReport(true, 0, CREATED, null, sick))),
        Arguments.of("available but not answering (degraded)", true, Optional.of(silent)),
        Arguments.of("never available, never answered", false, Optional.of(neverAnswered)),
        Arguments.of("not probed yet", false, Optional.<NodeReport>empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("idleSituations")
  void theSameInputsLaterGiveTheSameStatus(
      String situation, boolean available, Optional<NodeReport> report) {
    LatticeNode node = Nodes.node("node1", "diotec360");
    LatticeNodeStatus first = status(node, available, report, T1);
    node.setStatus(first);

    LatticeNodeStatus second = status(node, available, report, T2);

    assertThat(second.sameAs(first)).as(situation + ": nothing to write").isTrue();
    assertThat(second.getConditions())
        .extracting(c -> c.getType())
        .containsExactly(
            StatusAggregator.READY, StatusAggregator.REACHABLE, StatusAggregator.MERKLE_CONSISTENT,
            StatusAggregator.P2P_CONNECTED, StatusAggregator.ROLLOUT_STUCK,
            StatusAggregator.RECONCILIATION_PAUSED, StatusAggregator.SELF_HEAL_FAILED);
  }

  @Test
  void aConditionKeepsItsTransitionTimeUntilItsStatusFlips() {
    LatticeNode node = Nodes.node("node1", "diotec360");
    NodeReport silent = new NodeReport(false, 5, CREATED, "timeout", null);
    node.setStatus(status(node, true, Optional.of(new NodeReport(true, 0, CREATED, null,
        new NodeObservation(true, null, ROOT, 1, "P2P", "auto", CREATED, 1))), T1));
    node.setStatus(status(node, true, Optional.of(silent), T2));

    assertThat(condition(node.getStatus(), StatusAggregator.READY))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getLastTransitionTime)
        .containsExactly("False", Reason.NODE_UNREACHABLE.value(), T2.toString());

    LatticeNodeStatus later = status(node, true, Optional.of(silent), T2.plusSeconds(600));
    assertThat(condition(later, StatusAggregator.READY).getLastTransitionTime()).isEqualTo(T2.toString());
  }

  @Test
  void aNodeThatNeverRanIsStartingUntilTheDeadlineThenUnreachable() {
    LatticeNode node = Nodes.node("node1", "diotec360", CREATED.toString());
    NodeReport refused = new NodeReport(false, 3, CREATED, "connection refused", null);

    LatticeNodeStatus starting = status(node, false, Optional.of(refused), CREATED.plusSeconds(120));
    assertThat(condition(starting, StatusAggregator.REACHABLE))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("Unknown", Reason.NODE_STARTING.value());
    assertThat(aggregator.starting(node, Optional.of(deployment(false)), starting, CREATED.plusSeconds(120)))
        .isTrue();

    Instant late = CREATED.plus(DEADLINE).plusSeconds(1);
    LatticeNodeStatus overdue = status(node, false, Optional.of(refused), late);
    assertThat(condition(overdue, StatusAggregator.REACHABLE))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", Reason.PROBE_FAILED.value());
  }

  @Test
  void aNodeThatWasAvailableOnceIsNoLongerStarting() {
    LatticeNode node = Nodes.node("node1", "diotec360", CREATED.toString());
    node.setStatus(status(node, true, Optional.empty(), CREATED.plusSeconds(30)));
    assertThat(node.getStatus().getFirstAvailableTime()).isEqualTo(CREATED.plusSeconds(30).toString());

    NodeReport refused = new NodeReport(false, 3, CREATED, "connection refused", null);
    LatticeNodeStatus down = status(node, false, Optional.of(refused), CREATED.plusSeconds(60));

    assertThat(condition(down, StatusAggregator.REACHABLE).getStatus()).isEqualTo("False");
    assertThat(down.getFirstAvailableTime()).isEqualTo(CREATED.plusSeconds(30).toString());
  }

  @Test
  void aFailedReconcileKeepsThePhaseAndSaysWhy() {
    LatticeNode node = Nodes.node("node1", "diotec360");
    node.setStatus(status(node, true, Optional.empty(), T1));

    LatticeNodeStatus failed = aggregator.failed(node, "writing the state PersistentVolumeClaim: shrink", T2);

    assertThat(failed.getPhase()).isEqualTo(StatusAggregator.PHASE_RUNNING);
    assertThat(condition(failed, StatusAggregator.READY))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", Reason.RECONCILE_ERROR.value(),
            "writing the state PersistentVolumeClaim: shrink");
    assertThat(condition(failed, StatusAggregator.REACHABLE)).isNotNull();
  }

  @Test
  void aNewNodeGetsAStatusWithoutAStoredOne() {
    LatticeNode node = Nodes.node("node1", "diotec360");
    assertThat(node.getStatus()).as("a new node has no status, as the API server stores it").isNull();

    LatticeNodeStatus status = status(node, false, Optional.empty(), T1);

    assertThat(status.getPhase()).isEqualTo(StatusAggregator.PHASE_PENDING);
    assertThat(status.sameAs(null)).isFalse();
  }

  private LatticeNodeStatus status(
      LatticeNode node, boolean available, Optional<NodeReport> report, Instant now) {
    NodePlan plan = new NodePlanner(OperatorConfig.defaults()).plan(node);
    MemberView view =
        report.filter(NodeReport::eligible)
            .map(r -> MemberView.eligible("node1", r.observation().merkleRoot(), r.observation().version()))
            .orElse(MemberView.ineligible("node1"));
    LatticeJudgement lattice = judge.judge(List.of(view), null, now);
    var share = new LatticeDecision.ForMember(lattice.of("node1"), false, null, Optional.empty(), List.of(), null, false);
    return aggregator.status(
        node,
        new StatusAggregator.Observed(
            plan, Optional.of(deployment(available)), report, Optional.of(share), Optional.of(lattice),
            null, null, null, false),
        now);
  }

  @Test
  void aMovingRootAloneIsWrittenAtMostOncePerRefreshInterval() {
    LatticeNode node = Nodes.node("node1", "diotec360");
    LatticeNodeStatus first = aggregator.refreshed(null, status(node, true, answered(ROOT, 3), T1), T1);
    node.setStatus(first);
    String other = "b".repeat(64);

    LatticeNodeStatus moved = status(node, true, answered(other, 4), T1.plusSeconds(10));
    assertThat(aggregator.worthWriting(first, moved, T1.plusSeconds(10)))
        .as("only the root and version moved, within the refresh interval").isFalse();
    assertThat(aggregator.refreshAt(first, moved)).contains(T1.plus(REFRESH));
    assertThat(aggregator.worthWriting(first, moved, T1.plus(REFRESH)))
        .as("the refresh interval has passed").isTrue();
    assertThat(aggregator.refreshed(first, moved, T1.plus(REFRESH)).getLastProbeTime())
        .isEqualTo(T1.plus(REFRESH).toString());

    LatticeNodeStatus modeChanged = status(node, true, Optional.of(new NodeReport(true, 0, CREATED, null,
        new NodeObservation(true, null, other, 4, "HTTP", "auto", T1, 0))), T1.plusSeconds(10));
    assertThat(aggregator.worthWriting(first, modeChanged, T1.plusSeconds(10)))
        .as("a new sync mode is written at once, with the current root").isTrue();
  }

  @Test
  void writesInFlightAreWrittenWithTheRefreshButDivergedAtOnce() {
    LatticeNode node = Nodes.node("node1", "diotec360");
    String newer = "b".repeat(64);
    LatticeNodeStatus first = aggregator.refreshed(null, inLattice(node, newer, 4, null, T1), T1);
    node.setStatus(first);
    assertThat(first.getConsistency()).isEqualTo("Consistent");

    // The others took a write node1 has not yet: Behind, inside the 60 s grace period.
    Instant t = T1.plusSeconds(10);
    LatticeNodeStatus behind = inLattice(node, ROOT, 3, null, t);
    assertThat(behind.getConsistency()).isEqualTo("Behind");
    assertThat(aggregator.worthWriting(first, behind, t))
        .as("Behind inside the grace period is a write in flight: it waits for the refresh").isFalse();
    assertThat(aggregator.refreshAt(first, behind)).contains(T1.plus(REFRESH));
    LatticeNodeStatus caughtUp = inLattice(node, newer, 4, null, t.plusSeconds(5));
    assertThat(aggregator.worthWriting(first, caughtUp, t.plusSeconds(5)))
        .as("caught up again: nothing to write").isFalse();

    // Still behind when the grace period ran out: Diverged is written at once.
    Instant late = t.plusSeconds(61);
    LatticeNodeStatus diverged = inLattice(node, ROOT, 3, t, late);
    assertThat(diverged.getConsistency()).isEqualTo("Diverged");
    assertThat(aggregator.worthWriting(first, diverged, late))
        .as("Diverged raises alarms: written at once").isTrue();
  }

  /** node1 on {@code root} at {@code version} in a lattice of three whose other two hold the newer root. */
  private LatticeNodeStatus inLattice(LatticeNode node, String root, long version, Instant mismatchSince, Instant now) {
    String newer = "b".repeat(64);
    NodePlan plan = new NodePlanner(OperatorConfig.defaults()).plan(node);
    List<MemberView> views = List.of(
        MemberView.eligible("node1", root, version).remembering(mismatchSince, null),
        MemberView.eligible("node2", newer, 4),
        MemberView.eligible("node3", newer, 4));
    LatticeJudgement lattice = judge.judge(views, null, now);
    var share = new LatticeDecision.ForMember(lattice.of("node1"), false, null, Optional.empty(), List.of(), null, false);
    return aggregator.status(node, new StatusAggregator.Observed(plan, Optional.of(deployment(true)),
        answered(root, version), Optional.of(share), Optional.of(lattice), null, null, null, false), now);
  }

  private static Optional<NodeReport> answered(String root, long version) {
    return Optional.of(new NodeReport(true, 0, CREATED, null,
        new NodeObservation(true, null, root, version, "P2P", "auto", CREATED, 1)));
  }

  private static Deployment deployment(boolean available) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("node1").withCreationTimestamp(CREATED.toString()).endMetadata()
        .withNewStatus().withAvailableReplicas(available ? 1 : 0).endStatus()
        .build();
  }

  private static Condition condition(LatticeNodeStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }

}
