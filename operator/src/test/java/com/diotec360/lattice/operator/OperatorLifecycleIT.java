package com.diotec360.lattice.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.health.HealthServer;
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.OperatorHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server: the strict embedded API, a fresh one for the test: what is under test is the
 * operator's own threads and meters, not the API.
 *
 * <p>Whoever creates a client, an executor or a meter closes or removes it: an operator created and
 * closed again and again, with nodes created and deleted in between, leaves no probe, HTTP or
 * health thread and no series of a deleted node behind.
 */
class OperatorLifecycleIT {

  /** Thread names of what the operator itself starts (JOSDK's and fabric8's are theirs to keep). */
  private static final List<String> OURS = List.of("node-probe", "health-http", "OkHttp Dispatcher", "OkHttp http");

  @Test
  void createdAndClosedFiveTimesItLeavesNothingBehind() throws Exception {
    try (EmbeddedApiServer api = OperatorHarness.startApi()) {
      for (int round = 0; round < 5; round++) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LatticeOperator operator =
            LatticeOperator.create(
                OperatorHarness.operatorClient(api, false),
                OperatorConfig.defaults().withWatchTimings(Duration.ofMillis(500), 2, Duration.ofSeconds(5)),
                Clock.systemUTC(),
                (node, namespace) -> "http://127.0.0.1:9",
                registry);
        HealthServer health =
            new HealthServer(new InetSocketAddress("127.0.0.1", 0), () -> operator.operator().getRuntimeInfo(), null);
        try {
          operator.start();
          String name = "node" + round;
          api.client().resource(Nodes.toCreate(name, "default", "diotec360")).create();
          await().atMost(Duration.ofSeconds(30)).until(() -> operator.metrics().nodesWithSeries() == 1);

          api.client().resources(LatticeNode.class).inNamespace("default").withName(name).delete();
          await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(operator.metrics().nodesWithSeries()).isZero();
            assertThat(registry.getMeters())
                .noneMatch(m -> m.getId().getName().startsWith("lattice.node."));
          });
        } finally {
          operator.close();
          health.close();
        }
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(Thread.getAllStackTraces().keySet())
              .filteredOn(t -> t.isAlive() && OURS.stream().anyMatch(p -> t.getName().startsWith(p)))
              .extracting(Thread::getName)
              .isEmpty());
    }
  }

}
