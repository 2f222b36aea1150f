package com.diotec360.lattice.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.Verb;
import com.diotec360.lattice.embedded.Writes;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.status.StatusAggregator;
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
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
 * chart's ServiceAccount). Costs must follow what changed, not the size of the lattice or its
 * traffic: a member joining writes its own objects, the lattice's one peer list, budget and status
 * (never every member's), data flowing with unchanged verdicts writes status at most once per
 * member and Lattice per refresh interval, and nothing changing writes nothing.
 *
 * <p>Measured before the Lattice resource (0.1.0, real server): 766-863 writes to settle 100 nodes,
 * 41 writes for one member joining a lattice of 10 (100 at 40), 39 status writes a minute for a
 * triangle taking data with every verdict unchanged.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class WriteCostIT {

  private static final Duration PROBE = Duration.ofSeconds(1);
  private static final Duration REFRESH = Duration.ofSeconds(5);
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
    start(api, answering(() -> ROOT));
    List<LatticeNode> nodes =
        IntStream.range(0, 100).mapToObj(i -> Nodes.toCreate("n" + i, namespace, "lattice" + (i / 4))).toList();
    nodes.parallelStream().forEach(n -> client().resource(n).create());

    awaitSettled(100);
    Writes settle = api.writes();
    long byOperator = settle.by(operator.user());
    System.out.printf("100 nodes settled with %d operator writes (%.1f per node): %s; by user %s%n",
        byOperator, byOperator / 100.0, settle, settle.byUser());
    // Per node: its config, claim, Deployment and Service (4 creates) and its status; per lattice of
    // 4: the Lattice, its Secret, peers Service, budget and peer list, and their updates as members
    // join (coalesced: the Lattice reconciles once for several joins).
    assertThat(byOperator).as("operator writes for 100 nodes: " + settle).isLessThanOrEqualTo(100 * 10);
    assertThat(settle.refused("LatticeNode")).as("refused status writes: " + settle).isZero();
    for (String shared : List.of("Lattice", "Secret", "PodDisruptionBudget", "Service", "ConfigMap")) {
      assertThat(settle.refused(shared, Verb.CREATE))
          .as("members race to create no shared object: " + shared + " " + settle).isZero();
    }
    // The API server's own Events (an IP allocator's repair note about a new Service, now and
    // then) are not the operator's: count the operator's by its reporting component.
    assertThat(events()).as("a normal start raises no Event").noneMatch(this::fromOperator);
    assertThat(settle.of("Deployment", Verb.UPDATE) + settle.of("Deployment", Verb.PATCH))
        .as("no Deployment is rewritten")
        .isZero();

    // Idle while every node is unreachable (no node runs here): nothing to write.
    assertNoWritesFor(PROBE.multipliedBy(3));
  }

  @Test
  void aMemberJoiningALatticeOf12WritesItsOwnObjectsAndTheLatticesNotEveryMembers(RealApi api) {
    start(api, answering(() -> ROOT));
    IntStream.range(0, 12).parallel()
        .forEach(i -> client().resource(Nodes.toCreate("j" + i, namespace, "joined")).create());
    awaitSettled(12);

    Writes before = api.writes();
    client().resource(Nodes.toCreate("j12", namespace, "joined")).create();
    awaitSettled(13);
    Writes join = api.writes().since(before);
    long byOperator = join.by(operator.user());
    System.out.printf("a member joining a lattice of 12 cost %d operator writes: %s%n", byOperator, join);
    // Its ConfigMap, claim, Deployment, Service and status; the lattice's peer list, budget and
    // status. A peer list per member, or a status write on every member, would add 12 or more.
    assertThat(byOperator).as("writes for one member joining: " + join).isLessThanOrEqualTo(12);
    assertThat(join.of("Deployment", Verb.CREATE)).isEqualTo(1);
    assertThat(join.of("Deployment", Verb.UPDATE) + join.of("Deployment", Verb.PATCH)).isZero();
    assertThat(join.of("ConfigMap", Verb.UPDATE)).as("the lattice's one peer list").isEqualTo(1);
  }

  @Test
  void dataFlowingWithUnchangedVerdictsWritesStatusAtMostOncePerRefreshInterval(RealApi api) {
    // Three members whose root moves every probe cycle while they agree: a new root each time a
    // member is probed again, so all three hold it within one cycle.
    Rounds probes = new Rounds();
    start(api, answering(probes::root));
    IntStream.range(0, 3).forEach(i -> client().resource(Nodes.toCreate("t" + i, namespace, "traffic")).create());
    awaitSettled(3);
    nodesAnswer.set(true);
    markAllAvailable();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(members())
        .allSatisfy(n -> assertThat(n.getStatus().getConsistency()).isEqualTo("Consistent")));

    Duration window = REFRESH.multipliedBy(4);
    Writes before = api.writes();
    long roots = probes.rounds();
    await().pollDelay(window).atMost(window.plusSeconds(5)).until(() -> true); // the traffic runs
    Writes traffic = api.writes().since(before);
    long status = traffic.of("LatticeNode", Verb.UPDATE_STATUS) + traffic.of("Lattice", Verb.UPDATE_STATUS);
    long windows = window.toMillis() / REFRESH.toMillis() + 1;
    System.out.printf("%d new roots in %d s with every verdict unchanged: %d status writes (%s)%n",
        probes.rounds() - roots, window.toSeconds(), status, traffic);
    assertThat(probes.rounds() - roots).as("the roots moved every cycle").isGreaterThanOrEqualTo(window.toSeconds() / 2);
    assertThat(status).as("status writes while data flows: at most one per member and Lattice per interval")
        .isLessThanOrEqualTo((3 + 1) * windows);
    assertThat(traffic.total() - status).as("nothing but status: " + traffic).isZero();
  }

  @Test
  void anIdleHealthyLatticeWritesNothing(RealApi api) {
    start(api, answering(() -> ROOT));
    IntStream.range(0, 8).forEach(i -> client().resource(Nodes.toCreate("h" + i, namespace, "healthy" + (i / 4))).create());
    awaitSettled(8);
    // Stand in for the kubelet and the Deployment controller: every node answers, holding one
    // root, and then its pod becomes available.
    nodesAnswer.set(true);
    markAllAvailable();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(members())
            .allSatisfy(n -> {
              assertThat(n.getStatus().getPhase()).isEqualTo(StatusAggregator.PHASE_RUNNING);
              assertThat(n.getStatus().getConsistency()).isEqualTo("Consistent");
              assertThat(n.getStatus().getRollout().getState()).isEqualTo("UpToDate");
            }));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client().resources(Lattice.class).inNamespace(namespace).list().getItems())
            .hasSize(2).allSatisfy(l -> assertThat(l.getStatus().getPhase()).isEqualTo("Healthy")));
    awaitQuiet();
    assertThat(events()).as("a normal start raises no Warning")
        .filteredOn(this::fromOperator).noneMatch(e -> "Warning".equals(e.getType()));

    assertNoWritesFor(PROBE.multipliedBy(3));
  }

  private void start(RealApi api, NodeClient nodes) {
    this.api = api;
    this.namespace = api.namespace();
    operator =
        RealApiOperator.start(api, false, Map.of(), (client, config) ->
            LatticeOperator.create(
                client,
                config.withWatchTimings(PROBE, 2, Duration.ofSeconds(5)).withStatusRefresh(REFRESH),
                RuntimeConfig.defaults(),
                Clock.systemUTC(),
                (node, ns) -> "http://" + node + "." + ns + ":9",
                new SimpleMeterRegistry(),
                nodes));
  }

  /** Roots that move with every probe cycle: a new one when a node is probed a second time. */
  private static final class Rounds {
    private final java.util.Set<String> probed = new java.util.HashSet<>();
    private long round;

    synchronized String root(String node) {
      if (!probed.add(node)) {
        round++;
        probed.clear();
        probed.add(node);
      }
      return String.format("%064x", round);
    }

    synchronized long rounds() {
      return round;
    }
  }

  /** Nodes that answer on {@code root} once {@link #nodesAnswer} is set, and are refused before. */
  private NodeClient answering(java.util.function.Supplier<String> root) {
    return answering(node -> root.get());
  }

  /** As {@link #answering(java.util.function.Supplier)}, with a root per node address. */
  private NodeClient answering(java.util.function.Function<String, String> root) {
    return new NodeClient() {
      @Override
      public NodeObservation probe(String baseUrl) throws IOException {
        if (!nodesAnswer.get()) {
          throw new IOException("Connection refused");
        }
        return new NodeObservation(true, null, root.apply(baseUrl), 7, "P2P", "auto", Instant.EPOCH, 3);
      }

      @Override
      public void switchMode(String baseUrl, String mode, String token) {}
    };
  }

  private void markAllAvailable() {
    client().resources(Deployment.class).inNamespace(namespace).list().getItems()
        .forEach(d -> {
          d.setStatus(new DeploymentStatusBuilder()
              .withObservedGeneration(d.getMetadata().getGeneration())
              .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
          client().resource(d).updateStatus();
        });
  }

  private List<LatticeNode> members() {
    return client().resources(LatticeNode.class).inNamespace(namespace).list().getItems();
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
