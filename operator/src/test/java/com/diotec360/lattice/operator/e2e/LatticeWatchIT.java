package com.diotec360.lattice.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.SyncMode;
import com.diotec360.lattice.operator.api.v1alpha1.SyncSpec;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.metrics.ExportedMetrics;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.status.StatusAggregator;
import com.diotec360.lattice.operator.support.Edits;
import com.diotec360.lattice.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server: the strict embedded API: what is under test is how the operator watches real nodes
 * (probes, verdicts, Events, metrics), not what the API server does with its writes (those
 * tests run on the real server, see WriteCostIT and LatticeNodeReconcilerIT).
 *
 * <p>End to end: the real operator on the strict embedded API server (generated CRD), real
 * reference nodes on loopback, probed through a loopback resolver. Short timings: probe every
 * second, unreachable after 3 failures, 4 s divergence grace; nodes: heartbeat 1 s, peerless 3 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LatticeWatchIT {

  static final Duration PROBE = Duration.ofSeconds(1);
  static final Duration GRACE = Duration.ofSeconds(4);
  static EmbeddedApiServer api;
  static KubernetesClient client;

  static KubernetesClient operatorClient;
  static LatticeOperator operator;
  static PrometheusMeterRegistry registry;
  static final List<String> writes = new CopyOnWriteArrayList<>();
  static volatile LocalNodes nodes;

  @TempDir Path temp;

  @BeforeAll
  static void startOperator() throws Exception {
    LocalNodes.requireJar();
    Logger.getLogger("okhttp3.mockwebserver").setLevel(Level.WARNING);
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    api = OperatorHarness.startApi();
    client = api.client();
    // Every request the operator sends that is not a read is recorded: "zero writes" is counted.
    Interceptor recordWrites =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (!"GET".equals(request.method())) {
              writes.add(request.method() + " " + request.uri().getPath());
            }
          }
        };
    // As the operator chart's ServiceAccount: only what the chart's RBAC allows.
    operatorClient =
        new KubernetesClientBuilder()
            .withConfig(OperatorHarness.operatorClient(api, false).getConfiguration())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record-writes", recordWrites))
            .build();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorConfig config =
        OperatorConfig.defaults().withWatchTimings(PROBE, 3, GRACE);
    operator =
        LatticeOperator.create(
            operatorClient,
            config,
            Clock.systemUTC(),
            (name, namespace) -> nodes == null ? "http://127.0.0.1:1" : nodes.baseUrl(name, namespace),
            registry);
    operator.start();
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
    }
    if (api != null) {
      api.close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void healthyLatticeIsConsistentAndIdleProbesWriteNothing() throws Exception {
    String ns = "healthy";
    try (LocalNodes local = lattice(ns, "ok", "ok-a", "ok-b", "ok-c")) {
      for (String n : List.of("ok-a", "ok-b", "ok-c")) {
        awaitStatus(ns, n, Duration.ofSeconds(45), s ->
            "Consistent".equals(s.getConsistency())
                && "P2P".equals(s.getSyncMode())
                && Integer.valueOf(2).equals(s.getPeerCount())
                && is(s, StatusAggregator.P2P_CONNECTED, Conditions.TRUE)
                && is(s, StatusAggregator.REACHABLE, Conditions.TRUE)
                && is(s, StatusAggregator.MERKLE_CONSISTENT, Conditions.TRUE));
      }
      await("the Lattice counts 3 agreeing of 3").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        var lattice = latticeStatus(ns, "ok");
        assertThat(lattice.getAgreeing()).isEqualTo(3);
        assertThat(lattice.getMembers()).isEqualTo(3);
        assertThat(lattice.getPhase()).isEqualTo("Healthy");
      });
      LatticeNodeStatus a = status(ns, "ok-a");
      assertThat(a.getRootShort()).hasSize(12).isEqualTo(a.getMerkleRoot().substring(0, 12));

      // Idle: several probe cycles, not one write to the API server for this namespace.
      java.util.concurrent.atomic.AtomicInteger last = new java.util.concurrent.atomic.AtomicInteger(-1);
      await("writes settle (two probe cycles without one)")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(PROBE.multipliedBy(2))
          .until(() -> last.getAndSet(writesIn(ns).size()) == writesIn(ns).size());
      int settled = writesIn(ns).size();
      await("no writes during 6 probe cycles")
          .during(PROBE.multipliedBy(6))
          .atMost(PROBE.multipliedBy(9))
          .until(() -> writesIn(ns).size() == settled);
      assertThat(registry.scrape())
          .contains("lattice_node_up{lattice=\"ok\",location=\"cluster\",namespace=\"healthy\",node=\"ok-a\"} 1")
          .contains("lattice_node_merkle_consistent{lattice=\"ok\",location=\"cluster\",namespace=\"healthy\",node=\"ok-a\"} 1")
          .contains("lattice_node_sync_mode{lattice=\"ok\",location=\"cluster\",mode=\"P2P\",namespace=\"healthy\",node=\"ok-a\"} 1")
          .contains("lattice_probe_duration_seconds_bucket");
    }
  }

  @Test
  void divergenceIsReportedOnceAndConvergenceAfterRepeering() throws Exception {
    String ns = "diverge";
    try (LocalNodes local = lattice(ns, "dv", "dv-a", "dv-b", "dv-c")) {
      for (String n : List.of("dv-a", "dv-b", "dv-c")) {
        awaitStatus(ns, n, Duration.ofSeconds(30), s -> "Consistent".equals(s.getConsistency()));
      }
      local.peerAll("dv-a", "dv-b");
      local.peer("dv-c"); // dv-c is cut off from both
      awaitStatus(ns, "dv-c", Duration.ofSeconds(15), s -> Integer.valueOf(0).equals(s.getPeerCount()));
      String id = local.write("dv-a", "entry-1");
      // The entry reached dv-b: the version is live in the metric (status writes it with the next
      // change, or after the refresh interval).
      await("dv-b applied the entry").atMost(Duration.ofSeconds(10)).until(() -> registry.scrape()
          .contains("lattice_node_version{lattice=\"dv\",location=\"cluster\",namespace=\"diverge\",node=\"dv-b\"} 1.0"));
      assertThat(status(ns, "dv-b").getConsistency()).isEqualTo("Consistent");
      long written = System.nanoTime();
      // Past the grace period, the Merkle comparison with a member holding the reference root
      // says where: dv-c only lacks an entry, so it is Behind (not an unexplained Diverged).
      awaitStatus(ns, "dv-c", GRACE.plus(PROBE).plusSeconds(5), s ->
          "Behind".equals(s.getConsistency())
              && is(s, StatusAggregator.MERKLE_CONSISTENT, Conditions.FALSE)
              && s.getDivergedSince() != null
              && s.getDivergence() != null);
      var evidence = status(ns, "dv-c").getDivergence();
      assertThat(evidence.getComparedWith()).isIn("dv-a", "dv-b");
      assertThat(evidence.getMissing()).isEqualTo(1);
      assertThat(evidence.getExtra()).isZero();
      assertThat(evidence.getMissingSamples()).containsExactly(id);
      assertThat(evidence.getBuckets()).containsExactly(id.substring(0, 4));
      assertThat(evidence.getRequests()).isEqualTo(10);
      assertThat(evidence.getSummary())
          .isEqualTo("dv-c lacks 1 entry " + evidence.getComparedWith() + " holds; buckets " + id.substring(0, 4));
      assertThat(reason(status(ns, "dv-c"), StatusAggregator.MERKLE_CONSISTENT)).hasValue("Behind");
      System.out.println("evidence: " + evidence.getSummary() + " (" + evidence.getRequests() + " requests, "
          + evidence.getBytes() + " bytes)");
      Duration detected = Duration.ofNanos(System.nanoTime() - written);
      System.out.println("divergence detected after " + detected.toMillis() + " ms (grace " + GRACE.toMillis() + " ms)");
      assertThat(detected).isGreaterThanOrEqualTo(GRACE.minusMillis(1500));
      assertThat(events(ns, "dv-c", Reason.MERKLE_DIVERGENCE.value()))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getCount()).isEqualTo(1);
            assertThat(e.getMessage()).endsWith(evidence.getSummary());
          });
      assertThat(registry.scrape())
          .contains("lattice_node_entries_missing{lattice=\"dv\",location=\"cluster\",namespace=\"diverge\",node=\"dv-c\"} 1")
          .contains("lattice_node_entries_extra{lattice=\"dv\",location=\"cluster\",namespace=\"diverge\",node=\"dv-c\"} 0");
      assertThat(status(ns, "dv-a").getConsistency()).isEqualTo("Consistent");

      local.peerAll("dv-a", "dv-b", "dv-c");
      awaitStatus(ns, "dv-c", Duration.ofSeconds(20), s ->
          "Consistent".equals(s.getConsistency()) && s.getDivergedSince() == null);
      assertThat(events(ns, "dv-c", Reason.MERKLE_CONVERGED.value())).hasSize(1);
      assertThat(events(ns, "dv-c", Reason.MERKLE_DIVERGENCE.value()).get(0).getCount()).isEqualTo(1);
    }
  }

  /**
   * The dual-node lattice partitioned, each side taking a write: no root has a majority of two, so
   * after the grace period both members are Split (not NoQuorum, which blames nobody and raised no
   * Event), each with one LatticeSplit Warning and the sides in the condition's message.
   */
  @Test
  void aPartitionedDualNodeLatticeIsSplitOnBothMembersOnce() throws Exception {
    String ns = "split";
    try (LocalNodes local = lattice(ns, "sp", "sp-a", "sp-b")) {
      for (String n : List.of("sp-a", "sp-b")) {
        awaitStatus(ns, n, Duration.ofSeconds(30), s -> "Consistent".equals(s.getConsistency()));
      }
      for (String n : List.of("sp-a", "sp-b")) {
        enableSelfHeal(ns, n); // and still: a split has no majority, so nothing is repaired
      }
      local.peer("sp-a");
      local.peer("sp-b");
      for (String n : List.of("sp-a", "sp-b")) {
        awaitStatus(ns, n, Duration.ofSeconds(30), s -> Integer.valueOf(0).equals(s.getPeerCount()));
      }
      String left = local.write("sp-a", "left");
      String right = local.write("sp-b", "right");
      long written = System.nanoTime();
      for (String n : List.of("sp-a", "sp-b")) {
        awaitStatus(ns, n, GRACE.plus(PROBE).plusSeconds(5), s ->
            "Split".equals(s.getConsistency())
                && is(s, StatusAggregator.MERKLE_CONSISTENT, Conditions.FALSE));
      }
      System.out.println("split detected after " + Duration.ofNanos(System.nanoTime() - written).toMillis()
          + " ms (grace " + GRACE.toMillis() + " ms, probe " + PROBE.toMillis() + " ms)");
      awaitStatus(ns, "sp-a", Duration.ofSeconds(10), s -> s.getDivergence() != null && s.getDivergence().compared());
      String message = Conditions.find(status(ns, "sp-a").getConditions(), StatusAggregator.MERKLE_CONSISTENT)
          .orElseThrow().getMessage();
      assertThat(message).contains("The lattice is split").contains("held by sp-a").contains("held by sp-b")
          .contains("sp-a lacks 1 entry sp-b holds and holds 1 entry sp-b lacks");
      var sides = status(ns, "sp-a").getDivergence();
      assertThat(sides.getComparedWith()).isEqualTo("sp-b");
      assertThat(sides.getMissingSamples()).containsExactly(right);
      assertThat(sides.getExtraSamples()).containsExactly(left);
      assertThat(events(ns, "sp", Reason.LATTICE_SPLIT.value())).as("one Warning, on the Lattice").singleElement()
          .satisfies(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Lattice");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getCount()).isEqualTo(1);
          });
      await("the Lattice is Split").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(latticeStatus(ns, "sp").getPhase()).isEqualTo("Split"));
      assertThat(events(ns, "sp-a", Reason.DEPRECATED_FIELD.value())).as("selfHeal set on the node, the old way")
          .singleElement().satisfies(e -> assertThat(e.getMessage())
              .startsWith("spec.selfHeal on a LatticeNode is deprecated and read only while Lattice sp does not set it"));
      for (String n : List.of("sp-a", "sp-b")) {
        assertThat(events(ns, n, Reason.MERKLE_DIVERGENCE.value())).isEmpty();
        assertThat(events(ns, n, Reason.SELF_HEAL_RESYNC.value())).as("no repair without a majority").isEmpty();
      }
      assertThat(registry.scrape())
          .contains("lattice_node_split{lattice=\"sp\",location=\"cluster\",namespace=\"split\",node=\"sp-a\"} 1")
          .contains("lattice_node_quorum{lattice=\"sp\",location=\"cluster\",namespace=\"split\",node=\"sp-a\"} 0");

      local.peerAll("sp-a", "sp-b");
      for (String n : List.of("sp-a", "sp-b")) {
        awaitStatus(ns, n, Duration.ofSeconds(30), s ->
            "Consistent".equals(s.getConsistency()) && s.getDivergedSince() == null && s.getVersion() == 2);
        assertThat(events(ns, n, Reason.MERKLE_CONVERGED.value())).hasSize(1);
      }
      assertThat(events(ns, "sp", Reason.LATTICE_SPLIT.value()).get(0).getCount()).isEqualTo(1);
      await("the Lattice is Healthy again, and says so once").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(latticeStatus(ns, "sp").getPhase()).isEqualTo("Healthy");
        assertThat(events(ns, "sp", Reason.LATTICE_HEALTHY.value())).singleElement()
            .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
      });
    }
  }

  /**
   * Self-heal with a majority: a member cut off while the others took a write is Diverged past the
   * grace period; the operator asks it to resynchronise from a member holding the reference root
   * (the node's resync call), and it is Consistent again without anyone re-peering it.
   */
  @Test
  void selfHealResyncsAMinorityMemberFromTheMajority() throws Exception {
    String ns = "heal";
    try (LocalNodes local = lattice(ns, "sh", "sh-a", "sh-b", "sh-c")) {
      for (String n : List.of("sh-a", "sh-b", "sh-c")) {
        awaitStatus(ns, n, Duration.ofSeconds(30), s -> "Consistent".equals(s.getConsistency()));
      }
      enableSelfHealOnTheLattice(ns, "sh");
      local.peerAll("sh-a", "sh-b");
      local.peer("sh-c");
      awaitStatus(ns, "sh-c", Duration.ofSeconds(15), s -> Integer.valueOf(0).equals(s.getPeerCount()));
      local.write("sh-a", "while-c-was-away");
      awaitStatus(ns, "sh-c", GRACE.plus(PROBE.multipliedBy(4)).plusSeconds(10), s ->
          "Consistent".equals(s.getConsistency()) && s.getVersion() == 1 && s.getSelfHeal() != null
              && "Healed: the node holds the reference root again".equals(s.getSelfHeal().getMessage()));
      assertThat(events(ns, "sh-c", Reason.SELF_HEAL_RESYNC.value())).isNotEmpty()
          .allSatisfy(e -> assertThat(e.getMessage()).contains("from sh-a"));
      assertThat(events(ns, "sh-c", Reason.SELF_HEALED.value())).hasSize(1);
      assertThat(events(ns, "sh-c", Reason.SELF_HEAL_RESTART.value())).isEmpty();
      assertThat(events(ns, "sh-c", Reason.SELF_HEAL_RESYNC.value())).anySatisfy(e -> assertThat(e.getMessage()).contains("pulled 1 entry"));
      assertThat(status(ns, "sh-c").getSelfHeal().getMessage()).isEqualTo("Healed: the node holds the reference root again");
      assertThat(events(ns, "sh-a", Reason.SELF_HEAL_RESYNC.value())).isEmpty();
    }
  }

  @Test
  void p2pCutFallsBackToHttpAndRecovers() throws Exception {
    String ns = "p2pcut";
    try (LocalNodes local = lattice(ns, "pc", "pc-a", "pc-b")) {
      awaitStatus(ns, "pc-a", Duration.ofSeconds(30), s ->
          "P2P".equals(s.getSyncMode()) && is(s, StatusAggregator.P2P_CONNECTED, Conditions.TRUE));
      int degradations = occurrences(ns, "pc-a", "Warning");
      int recoveries = occurrences(ns, "pc-a", "Normal");
      local.peer("pc-a");
      local.peer("pc-b");
      // Links drop as each node re-reads its peer file, then the peerless timeout runs. A dial under
      // way at the cut once kept its link for good (node-image PeerRemovedWhileDialingTest).
      awaitStatus(ns, "pc-a", Duration.ofSeconds(30), s ->
          "HTTP".equals(s.getSyncMode())
              && reason(s, StatusAggregator.P2P_CONNECTED).equals(Optional.of(Reason.HTTP_FALLBACK.value()))
              && is(s, StatusAggregator.P2P_CONNECTED, Conditions.FALSE));
      assertThat(occurrences(ns, "pc-a", "Warning")).as("one P2P→HTTP Warning").isEqualTo(degradations + 1);

      local.peerAll("pc-a", "pc-b");
      awaitStatus(ns, "pc-a", Duration.ofSeconds(20), s ->
          "P2P".equals(s.getSyncMode()) && is(s, StatusAggregator.P2P_CONNECTED, Conditions.TRUE));
      assertThat(occurrences(ns, "pc-a", "Normal")).as("one HTTP→P2P Normal").isEqualTo(recoveries + 1);
      assertThat(occurrences(ns, "pc-a", "Warning")).isEqualTo(degradations + 1);
      assertThat(registry.scrape())
          .contains("lattice_sync_mode_changes_total{from=\"P2P\",lattice=\"pc\",location=\"cluster\",namespace=\"p2pcut\",node=\"pc-a\",to=\"HTTP\"} " + (degradations + 1));
    }
  }

  /**
   * A member whose only peer went away: its conditions say why it is degraded, from what the node
   * itself reports of its peers (no P2P link, HTTP polls failing), and the lattice's status
   * summarises the partition.
   */
  @Test
  void aCutOffMemberSaysWhyInItsConditions() throws Exception {
    String ns = "cause";
    try (LocalNodes local = lattice(ns, "ca", "ca-a", "ca-b")) {
      awaitStatus(ns, "ca-a", Duration.ofSeconds(30), s ->
          "P2P".equals(s.getSyncMode()) && is(s, StatusAggregator.P2P_CONNECTED, Conditions.TRUE));
      local.stop("ca-b");
      awaitStatus(ns, "ca-a", Duration.ofSeconds(30), s ->
          "HTTP".equals(s.getSyncMode())
              && Conditions.find(s.getConditions(), StatusAggregator.P2P_CONNECTED)
                  .map(c -> c.getMessage().contains("Cause: ca-a has no P2P link to any member; its HTTP polls of ca-b fail: connection refused"))
                  .orElse(false));
      LatticeNodeStatus a = status(ns, "ca-a");
      System.out.println("cause: " + Conditions.find(a.getConditions(), StatusAggregator.P2P_CONNECTED).orElseThrow().getMessage());
      await("the Lattice says who reaches whom").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(latticeStatus(ns, "ca").getPartitions()).startsWith("HTTP failing: ca-a→ca-b (connection refused)"));
    }
  }

  @Test
  void stoppedNodeIsUnreachableAfterThreeProbesAndRecovers() throws Exception {
    String ns = "stop";
    try (LocalNodes local = lattice(ns, "st", "st-a", "st-b", "st-c")) {
      awaitStatus(ns, "st-c", Duration.ofSeconds(30), s -> is(s, StatusAggregator.REACHABLE, Conditions.TRUE));
      local.stop("st-c");
      awaitStatus(ns, "st-c", Duration.ofSeconds(15), s ->
          is(s, StatusAggregator.REACHABLE, Conditions.FALSE)
              && "Unobserved".equals(s.getConsistency()));
      // Counted in probes, not in time: under load the probe cycles may bunch up.
      assertThat(operator.prober().latest(new io.javaoperatorsdk.operator.processing.event.ResourceID("st-c", ns)))
          .hasValueSatisfying(r -> assertThat(r.consecutiveFailures()).as("failed probes in a row").isGreaterThanOrEqualTo(3));
      assertThat(events(ns, "st-c", Reason.NODE_UNREACHABLE.value())).hasSize(1);
      // The other two still make a quorum of three.
      assertThat(status(ns, "st-a").getConsistency()).isEqualTo("Consistent");

      local.start("st-c");
      awaitStatus(ns, "st-c", Duration.ofSeconds(15), s -> is(s, StatusAggregator.REACHABLE, Conditions.TRUE));
      assertThat(events(ns, "st-c", Reason.NODE_RECOVERED.value())).hasSize(1);
    }
  }

  /**
   * The chart's alerts and dashboard are checked against {@link ExportedMetrics#NAMES}
   * (AlertMetricsTest); this checks those names against what the running operator really serves.
   * Runs last: counters appear once the tests above made a divergence and a mode change happen.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void everyMetricTheAlertsMayUseIsInTheOperatorsScrape() {
    String scrape = registry.scrape();
    for (String name : ExportedMetrics.NAMES) {
      if (name.equals(ExportedMetrics.NODE_ENTRIES_MISSING) || name.equals(ExportedMetrics.NODE_ENTRIES_EXTRA)) {
        continue; // exported only while a node is Diverged: the divergence test scrapes them then
      }
      String series = ExportedMetrics.HISTOGRAMS.contains(name) ? name + "_bucket" : name;
      assertThat(scrape).as("the scrape has %s", series).containsPattern("(?m)^" + series + "\\{");
    }
    assertThat(scrape).as("JOSDK's reconcile metrics").contains("operator_sdk_");
  }

  @Test
  void declarativeHttpModeSwitchesTheNode() throws Exception {
    String ns = "declare";
    try (LocalNodes local = lattice(ns, "dm", "dm-a")) {
      awaitStatus(ns, "dm-a", Duration.ofSeconds(30), s -> s.getSyncMode() != null);
      Edits.edit(client.resources(LatticeNode.class).inNamespace(ns).withName("dm-a"), n -> {
        SyncSpec sync = new SyncSpec();
        sync.setMode(SyncMode.HTTP);
        n.getSpec().setSync(sync);
        return n;
      });
      await("node reports mode http").atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() ->
          local.get("dm-a", "/api/lattice/p2p/status").body().contains("\"mode\":\"http\""));
      awaitStatus(ns, "dm-a", Duration.ofSeconds(10), s ->
          "HTTP".equals(s.getSyncMode())
              && reason(s, StatusAggregator.P2P_CONNECTED).equals(Optional.of(Reason.HTTP_MODE.value())));
      assertThat(events(ns, "dm-a", "SyncModeSwitched")).hasSize(1);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The deprecated way: self-heal on one LatticeNode (read while its Lattice does not set it). */
  private void enableSelfHeal(String ns, String name) {
    client.resources(LatticeNode.class).inNamespace(ns).withName(name).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"selfHeal\":{\"enabled\":true}}}");
  }

  /** Self-heal for the whole lattice, where it lives now. */
  private void enableSelfHealOnTheLattice(String ns, String lattice) {
    await("the operator made Lattice " + lattice).atMost(Duration.ofSeconds(10)).until(() ->
        client.resources(com.diotec360.lattice.operator.api.v1alpha1.Lattice.class).inNamespace(ns).withName(lattice).get() != null);
    client.resources(com.diotec360.lattice.operator.api.v1alpha1.Lattice.class).inNamespace(ns).withName(lattice).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"selfHeal\":{\"enabled\":true}}}");
  }

  /** Creates the LatticeNodes, waits for the operator's lattice secret, starts the nodes with it. */
  private LocalNodes lattice(String ns, String lattice, String... names) throws Exception {
    for (String name : names) {
      LatticeNode node = new LatticeNode();
      node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
      LatticeNodeSpec spec = new LatticeNodeSpec();
      spec.setLattice(lattice);
      spec.setRole("genesis");
      node.setSpec(spec);
      client.resource(node).create();
    }
    String secretName = ResourceNames.latticeSecret(lattice);
    Secret secret = await("lattice secret").atMost(Duration.ofSeconds(30)).until(
        () -> client.secrets().inNamespace(ns).withName(secretName).get(), s -> s != null);
    String token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    LocalNodes local = new LocalNodes(temp.resolve(ns), token);
    for (String name : names) {
      local.define(name);
    }
    nodes = local;
    local.peerAll(names);
    for (String name : names) {
      local.start(name);
      markDeploymentAvailable(ns, name);
    }
    return local;
  }

  /** The mock has no Deployment controller: report the node's Deployment available. */
  private void markDeploymentAvailable(String ns, String name) {
    await("deployment " + name).atMost(Duration.ofSeconds(30)).until(
        () -> client.apps().deployments().inNamespace(ns).withName(name).get() != null);
    client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
      return d;
    });
  }

  private com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus latticeStatus(String ns, String name) {
    var lattice = client.resources(com.diotec360.lattice.operator.api.v1alpha1.Lattice.class)
        .inNamespace(ns).withName(name).get();
    assertThat(lattice).as("Lattice " + name).isNotNull();
    assertThat(lattice.getStatus()).as("status of Lattice " + name).isNotNull();
    return lattice.getStatus();
  }

  private LatticeNodeStatus status(String ns, String name) {
    LatticeNode n = client.resources(LatticeNode.class).inNamespace(ns).withName(name).get();
    return n == null || n.getStatus() == null ? new LatticeNodeStatus() : n.getStatus();
  }

  private void awaitStatus(
      String ns, String name, Duration atMost, java.util.function.Predicate<LatticeNodeStatus> ok) {
    try {
      await(ns + "/" + name + " status")
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> ok.test(status(ns, name)));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; last status: "
          + io.fabric8.kubernetes.client.utils.Serialization.asJson(status(ns, name)), e);
    }
  }

  private List<Event> events(String ns, String node, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> node.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .toList();
  }

  /** How many times SyncModeChanged Events of that type were recorded (summing counts). */
  private int occurrences(String ns, String node, String type) {
    return events(ns, node, Reason.SYNC_MODE_CHANGED.value()).stream()
        .filter(e -> type.equals(e.getType()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }

  private static List<String> writesIn(String ns) {
    return writes.stream().filter(w -> w.contains("/namespaces/" + ns + "/")).toList();
  }

  private static boolean is(LatticeNodeStatus s, String type, String status) {
    return Conditions.find(s.getConditions(), type).map(Condition::getStatus).filter(status::equals).isPresent();
  }

  private static Optional<String> reason(LatticeNodeStatus s, String type) {
    return Conditions.find(s.getConditions(), type).map(Condition::getReason);
  }
}
