package com.diotec360.lattice.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.Verb;
import com.diotec360.lattice.embedded.Writes;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import com.diotec360.lattice.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}): what the operator writes, counted from
 * the server's audit log per verb and kind, and per user for the operator's own identity (the
 * chart's ServiceAccount). On a real API server the previous release made 1,793 writes to settle
 * 100 nodes (762 of them Deployment updates that changed nothing), 3 Deployment updates per member
 * when a member joined, and a status write per reconcile for a degraded node.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class WriteCostIT {

  private static final Duration PROBE = Duration.ofSeconds(1);
  private static final String ROOT = "5df3daee3a0ca23c388a16c3db2c2388".repeat(2);

  private RealApi api;
  private String namespace;
  private RealApiOperator operator;
  private final AtomicBoolean nodesAnswer = new AtomicBoolean(false);

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void a100NodeLatticeSettlesCheaplyAndAnIdleOneWritesNothing(RealApi api) {
    start(api);
    List<LatticeNode> nodes =
        IntStream.range(0, 100).mapToObj(i -> Nodes.toCreate("n" + i, namespace, "lattice" + (i / 4))).toList();
    nodes.parallelStream().forEach(n -> client().resource(n).create());

    awaitSettled(100);
    Writes settle = api.writes();
    long byOperator = settle.by(operator.user());
    System.out.printf("100 nodes settled with %d operator writes (%.1f per node): %s; by user %s%n",
        byOperator, byOperator / 100.0, settle, settle.byUser());
    // 675 of them are creates. The rest answer members joining one by one (peer lists, the
    // lattice's Secret, PDB and peer Service each follow its membership) and depend on how the
    // creates interleave with reconciles. Counted from the real server's audit log for the
    // operator's user alone: 766, 792, 808, 835, 863 in five runs of this class and 849 inside the
    // module's IT run (2026-12-07, two cores shared with other builds); the embedded API counted
    // 874-893 alone and 959-1001 inside the module's IT run. The bound is over that spread and far under the 1,793 of the old release.
    assertThat(byOperator).as("operator writes for 100 nodes: " + settle).isLessThanOrEqualTo(100 * 11);
    assertThat(settle.refused("LatticeNode")).as("refused status writes: " + settle).isZero();
    // The API server's own Events (an IP allocator's repair note about a new Service, now and
    // then) are not the operator's: count the operator's by its reporting component.
    assertThat(events()).as("a normal start raises no Event").noneMatch(this::fromOperator);
    assertThat(settle.of("Deployment", Verb.UPDATE) + settle.of("Deployment", Verb.PATCH))
        .as("no Deployment is rewritten")
        .isZero();

    // Idle while every node is unreachable (no node runs here): nothing to write.
    assertNoWritesFor(PROBE.multipliedBy(3));

    // A member joins lattice0: it gets its objects, the others their peer lists; no Deployment
    // of an existing member changes (the peer list is a live file, not pod config).
    Writes before = api.writes();
    client().resource(Nodes.toCreate("n100", namespace, "lattice0")).create();
    awaitSettled(101);
    Writes join = api.writes().since(before);
    System.out.printf("a member joining lattice0 cost %d writes (%d by the operator): %s%n",
        join.total(), join.by(operator.user()), join);
    assertThat(join.of("Deployment", Verb.CREATE)).isEqualTo(1);
    assertThat(join.of("Deployment", Verb.UPDATE) + join.of("Deployment", Verb.PATCH)).isZero();
  }

  @Test
  void anIdleHealthyLatticeWritesNothing(RealApi api) {
    start(api);
    IntStream.range(0, 8).forEach(i -> client().resource(Nodes.toCreate("h" + i, namespace, "healthy" + (i / 4))).create());
    awaitSettled(8);
    // Stand in for the kubelet and the Deployment controller: every node answers, holding one
    // root, and then its pod becomes available.
    nodesAnswer.set(true);
    client().resources(Deployment.class).inNamespace(namespace).list().getItems()
        .forEach(d -> {
          d.setStatus(new DeploymentStatusBuilder()
              .withObservedGeneration(d.getMetadata().getGeneration())
              .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
          client().resource(d).updateStatus();
        });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client().resources(LatticeNode.class).inNamespace(namespace).list().getItems())
            .allSatisfy(n -> {
              assertThat(n.getStatus().getPhase()).isEqualTo(StatusAggregator.PHASE_RUNNING);
              assertThat(n.getStatus().getConsistency()).isEqualTo("Consistent");
              assertThat(n.getStatus().getRollout().getState()).isEqualTo("UpToDate");
            }));
    awaitQuiet();
    assertThat(events()).as("a normal start raises no Warning")
        .filteredOn(this::fromOperator).noneMatch(e -> "Warning".equals(e.getType()));

    assertNoWritesFor(PROBE.multipliedBy(3));
  }

  private void start(RealApi api) {
    this.api = api;
    this.namespace = api.namespace();
    NodeClient nodes =
        new NodeClient() {
          @Override
          public NodeObservation probe(String baseUrl) throws IOException {
            if (!nodesAnswer.get()) {
              throw new IOException("Connection refused");
            }
            return new NodeObservation(true, null, ROOT, 7, "P2P", "auto", Instant.EPOCH, 3);
          }

          @Override
          public void switchMode(String baseUrl, String mode, String token) {}
        };
    operator =
        RealApiOperator.start(api, false, Map.of(), (client, config) ->
            LatticeOperator.create(
                client,
                config.withWatchTimings(PROBE, 2, Duration.ofSeconds(5)),
                RuntimeConfig.defaults(),
                Clock.systemUTC(),
                (node, ns) -> "http://127.0.0.1:9",
                new SimpleMeterRegistry(),
                nodes));
  }

  /** Every node has a status for its generation and the write count stopped moving. */
  private void awaitSettled(int count) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      List<LatticeNode> all = client().resources(LatticeNode.class).inNamespace(namespace).list().getItems();
      assertThat(all).hasSize(count);
      assertThat(all)
          .as("nodes without a status for their generation; writes so far: " + api.writes())
          .filteredOn(n -> n.getStatus() == null
              || !Objects.equals(n.getStatus().getObservedGeneration(), n.getMetadata().getGeneration())
              || n.getStatus().getConditions() == null
              || n.getStatus().getConditions().size() != StatusAggregator.CONDITIONS.size())
          .extracting(n -> n.getMetadata().getName() + ": " + io.fabric8.kubernetes.client.utils.Serialization.asJson(n.getStatus()))
          .isEmpty();
    });
    awaitQuiet();
  }

  /** The write count stopped moving: nothing is left to converge. */
  private void awaitQuiet() {
    long[] last = {-1};
    await().atMost(Duration.ofSeconds(60)).pollInterval(PROBE.multipliedBy(3)).until(() -> {
      long now = api.writes().total();
      boolean still = now == last[0];
      last[0] = now;
      return still;
    });
  }

  private void assertNoWritesFor(Duration quiet) {
    Writes before = api.writes();
    // Holds for the whole window, checked every 200 ms; fails at the first write.
    await().during(quiet).atMost(quiet.plusSeconds(5)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(api.writes().since(before).total())
            .as("writes while idle for " + quiet + ": " + api.writes().since(before))
            .isZero());
  }

  /** Every Event in the namespace, whoever raised it. */
  private List<Event> events() {
    List<Event> events = client().v1().events().inNamespace(namespace).list().getItems();
    events.forEach(e -> System.out.printf("event by %s: %s %s %s/%s: %s%n", e.getReportingComponent(),
        e.getType(), e.getReason(), e.getInvolvedObject().getKind(), e.getInvolvedObject().getName(), e.getMessage()));
    return events;
  }

  private boolean fromOperator(Event event) {
    return EventRecorder.COMPONENT.equals(event.getReportingComponent());
  }

  private KubernetesClient client() {
    return api.client();
  }

}
