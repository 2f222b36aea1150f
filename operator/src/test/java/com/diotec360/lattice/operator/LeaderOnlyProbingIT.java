package com.diotec360.lattice.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}): the Lease lives in the chart's release
 * namespace and each replica may touch it only as the chart's Role allows, so the election runs
 * on real optimistic locking and real RBAC.
 *
 * <p>Two operator replicas with leader election: only the one holding the Lease probes nodes and
 * exports their series (before, the standby probed every node too, so alerts saw each node twice),
 * and the standby takes over when the leader goes.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class LeaderOnlyProbingIT {

  private static final Duration PROBE = Duration.ofSeconds(1);
  /** The chart's default {@code leaderElection.leaseName}. */
  private static final String LEASE = "lattice-operator";

  private RealApi api;
  private Replica a;
  private Replica b;

  /** One operator process, with its own view of the nodes and its own /metrics. */
  private record Replica(RealApiOperator operator, AtomicInteger probes, MeterRegistry registry) {
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
      // The server outlives this test: leave no holder behind for the next election.
      api.client().leases().inNamespace(OperatorChartRbac.releaseNamespace()).withName(LEASE).delete();
    }
  }

  @Test
  void onlyTheLeaderProbesAndTheStandbyTakesOver(RealApi api) {
    this.api = api;
    a = replica("replica-a");
    b = replica("replica-b");
    for (String name : new String[] {"node1", "node2"}) {
      api.client().resource(Nodes.toCreate(name, api.namespace(), "diotec360")).create();
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
                    LEASE, Optional.of(OperatorChartRbac.releaseNamespace()), identity)
                .withoutExit()));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RealApiOperator operator =
        RealApiOperator.start(api, true, Map.of(), (client, config) ->
            LatticeOperator.create(
                client,
                config.withWatchTimings(PROBE, 2, Duration.ofSeconds(5)),
                runtime,
                Clock.systemUTC(),
                (node, namespace) -> "http://127.0.0.1:9",
                registry,
                nodes));
    return new Replica(operator, probes, registry);
  }
}
