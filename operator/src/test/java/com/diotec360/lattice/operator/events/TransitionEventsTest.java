package com.diotec360.lattice.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.metrics.LatticeMetrics;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeTarget;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.status.StatusAggregator;
import com.diotec360.lattice.operator.support.Nodes;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transitions, and only transitions, become Events; unknown never reads as inconsistent. */
class TransitionEventsTest {

  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

  private final List<String> recorded = new ArrayList<>();
  private final EventRecorder recorder =
      new EventRecorder(null, Clock.systemUTC()) {
        @Override
        public void normal(io.fabric8.kubernetes.api.model.HasMetadata node, Reason reason, String message) {
          recorded.add("Normal " + reason);
        }

        @Override
        public void warning(io.fabric8.kubernetes.api.model.HasMetadata node, Reason reason, String message) {
          recorded.add("Warning " + reason);
        }
      };
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LatticeMetrics metrics = new LatticeMetrics(registry);
  private final TransitionEvents events = new TransitionEvents(recorder, metrics, 3);
  private final LatticeNode node = Nodes.node("node1", "diotec360");
  private final ResourceID id = ResourceID.fromResource(node);

  @Test
  void aStartingNodeRaisesNoWarningUntilItIsReallyUnreachable() {
    LatticeNodeStatus starting = status("Unknown", Reason.NODE_STARTING.value(), "Unobserved");
    events.announce(node, null, starting, true, NOW);
    events.announce(node, starting, starting, true, NOW.plusSeconds(60));
    assertThat(recorded).isEmpty();

    LatticeNodeStatus down = status("False", Reason.PROBE_FAILED.value(), "Unobserved");
    events.announce(node, starting, down, false, NOW.plusSeconds(601));
    events.announce(node, down, down, false, NOW.plusSeconds(700));
    assertThat(recorded).containsExactly("Warning " + Reason.NODE_UNREACHABLE.value());
  }

  @Test
  void theSameStatusTwiceAnnouncesNothing() {
    LatticeNodeStatus consistent = status("True", Reason.PROBE_SUCCEEDED.value(), "Consistent");
    events.announce(node, null, consistent, false, NOW);
    recorded.clear();

    events.announce(node, consistent, consistent, false, NOW.plusSeconds(10));
    events.announce(node, consistent, consistent, false, NOW.plusSeconds(20));

    assertThat(recorded).isEmpty();
  }

  @Test
  void aTransitionAnnouncedBeforeARestartIsNotRepeatedAfterIt() {
    LatticeNodeStatus diverged = status("True", Reason.PROBE_SUCCEEDED.value(), "Diverged");
    diverged.setDivergedSince(NOW.toString());
    TransitionEvents afterRestart = new TransitionEvents(recorder, metrics, 3);

    afterRestart.announce(node, diverged, diverged, false, NOW.plusSeconds(30));

    assertThat(recorded).isEmpty();
  }

  @Test
  void consistencyIsExportedOnlyWhenItIsKnown() {
    metrics.probed(new NodeTarget(id, "diotec360", "http://127.0.0.1:9"),
        new NodeReport(false, 3, NOW, "refused", null), Duration.ofMillis(1));

    events.announce(node, null, status("False", Reason.PROBE_FAILED.value(), "Unobserved"), false, NOW);
    assertThat(registry.find("lattice.node.merkle.consistent").gauge()).as("unknown: no series").isNull();
    assertThat(registry.find("lattice.node.starting").gauge().value()).isZero();

    LatticeNodeStatus behind = status("True", Reason.PROBE_SUCCEEDED.value(), "Behind");
    events.announce(node, null, behind, false, NOW);
    assertThat(registry.find("lattice.node.merkle.consistent").gauge().value()).isZero();
    assertThat(registry.find("lattice.node.quorum").gauge().value()).isEqualTo(1.0);

    events.announce(node, null, status("True", Reason.PROBE_SUCCEEDED.value(), "NoQuorum"), false, NOW);
    assertThat(registry.find("lattice.node.merkle.consistent").gauge()).isNull();
    assertThat(registry.find("lattice.node.quorum").gauge().value()).isZero();
  }

  @Test
  void aDeletedNodeLeavesNoSeriesAndALateJudgementDoesNotBringThemBack() {
    NodeTarget target = new NodeTarget(id, "diotec360", "http://127.0.0.1:9");
    metrics.probed(target, new NodeReport(true, 0, NOW, null, null), Duration.ofMillis(1));
    events.announce(node, null, status("True", Reason.PROBE_SUCCEEDED.value(), "Consistent"), false, NOW);
    metrics.syncModeChanged(id, "diotec360", "P2P", "HTTP");
    metrics.divergence(id, "diotec360");
    assertThat(seriesOf(id.getName())).contains(
        "lattice.node.up", "lattice.sync.mode.changes", "lattice.merkle.divergences");

    metrics.forget(id);
    events.announce(node, null, status("True", Reason.PROBE_SUCCEEDED.value(), "Consistent"), false, NOW);

    assertThat(seriesOf(id.getName())).as("every series the node had, counters too").isEmpty();
    assertThat(metrics.nodesWithSeries()).isZero();
  }

  @Test
  void aNodeNoLongerProbedLosesItsGaugesButKeepsItsCounters() {
    NodeTarget target = new NodeTarget(id, "diotec360", "http://127.0.0.1:9");
    metrics.probed(target, new NodeReport(true, 0, NOW, null, null), Duration.ofMillis(1));
    metrics.divergence(id, "diotec360");

    metrics.stoppedProbing(target);

    assertThat(seriesOf(id.getName())).containsExactly("lattice.merkle.divergences");
  }

  private java.util.List<String> seriesOf(String node) {
    return registry.getMeters().stream()
        .filter(m -> node.equals(m.getId().getTag("node")))
        .map(m -> m.getId().getName())
        .distinct()
        .toList();
  }

  private static LatticeNodeStatus status(String reachable, String reason, String consistency) {
    LatticeNodeStatus status = new LatticeNodeStatus();
    status.setConsistency(consistency);
    status.setConditions(
        Conditions.with(null, StatusAggregator.REACHABLE, reachable, reason, "m", 1L, NOW));
    return status;
  }
}
