package com.diotec360.lattice.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.OperatorHarness;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election: only the one holding the Lease probes nodes and
 * exports their series (before, the standby probed every node too, so alerts saw each node twice),
 * and the standby takes over when the leader goes.
 */
class LeaderOnlyProbingIT {

  private static final Duration PROBE = Duration.ofSeconds(1);

  private EmbeddedApiServer api;
  private Replica a;
  private Replica b;

  /** One operator process, with its own view of the nodes and its own /metrics. */
  private record Replica(LatticeOperator operator, AtomicInteger probes, MeterRegistry registry) {
    boolean exportsNodeSeries() {
      return registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("lattice.node."));
    }
  }

  @AfterEach
  void stop() {
    for (Replica r : new Replica[] {a, b}) {
      if (r != null) {
        r.operator().close();
      }
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void onlyTheLeaderProbesAndTheStandbyTakesOver() {
    api = OperatorHarness.startApi();
    a = replica("replica-a");
    b = replica("replica-b");
    for (String name : new String[] {"node1", "node2"}) {
      api.client().resource(Nodes.toCreate(name, "default", "diotec360")).create();
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> a.probes().get() + b.probes().get() > 0);
    Replica leader = a.probes().get() > 0 ? a : b;
    Replica standby = leader == a ? b : a;
    await().atMost(Duration.ofSeconds(10)).until(leader::exportsNodeSeries);

    await().during(PROBE.multipliedBy(3)).atMost(PROBE.multipliedBy(8)).untilAsserted(() -> {
      assertThat(standby.probes().get()).as("probes by the standby").isZero();
      assertThat(standby.exportsNodeSeries()).as("node series on the standby's /metrics").isFalse();
    });

    leader.operator().close();
    await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
      assertThat(standby.probes().get()).as("the new leader probes").isPositive();
      assertThat(standby.exportsNodeSeries()).isTrue();
    });
    assertThat(leader.exportsNodeSeries()).as("the old leader dropped its node series").isFalse();
  }

  private Replica replica(String identity) {
    AtomicInteger probes = new AtomicInteger();
    NodeClient nodes =
        new NodeClient() {
          @Override
          public NodeObservation probe(String baseUrl) {
            probes.incrementAndGet();
            return new NodeObservation(true, null, "a".repeat(64), 1, "P2P", "auto", Instant.EPOCH, 1);
          }

          @Override
          public void switchMode(String baseUrl, String mode, String token) {}
        };
    RuntimeConfig runtime =
        new RuntimeConfig("INFO", "text", Optional.of(
            new RuntimeConfig.LeaderElection(
                    "lattice-operator", Optional.of(OperatorChartRbac.releaseNamespace()), identity)
                .withoutExit()));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatticeOperator operator =
        LatticeOperator.create(
            OperatorHarness.operatorClient(api, true),
            OperatorConfig.defaults().withWatchTimings(PROBE, 2, Duration.ofSeconds(5)),
            runtime,
            Clock.systemUTC(),
            (node, namespace) -> "http://127.0.0.1:9",
            registry,
            nodes);
    operator.start();
    return new Replica(operator, probes, registry);
  }
}
