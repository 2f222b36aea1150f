package com.diotec360.lattice.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberStatus;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberTls;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus;
import com.diotec360.lattice.operator.support.Edits;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import com.diotec360.lattice.testing.HeaderGate;
import com.diotec360.lattice.testing.SelfSignedTls;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server: the real kube-apiserver. Nodes: real reference node processes on loopback. The source
 * documents' topology: {@code node2-local} is a LatticeNode the operator runs, {@code
 * node1-huggingface} is a node outside the cluster (a process the operator does not run, listed in
 * {@code Lattice.spec.externalMembers}), each the other's HTTP peer.
 *
 * <p>What cannot be real here: there is no kubelet, so the LatticeNode's pod is a node process the
 * test starts, the operator reaches it through a loopback resolver instead of Service DNS, and the
 * test writes that process's peers file from the peer-list ConfigMap the operator made (which holds
 * the external URL), as the pod's mounted file would be.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class ExternalMemberIT {

  private static final Duration PROBE = Duration.ofSeconds(1);
  private static final Duration GRACE = Duration.ofSeconds(4);
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final String LATTICE = "diotec360";
  private static final String IN_CLUSTER = "node2-local";
  private static final String SECOND = "node3-local";
  private static final String EXTERNAL = "node1-huggingface";

  @TempDir Path temp;
  private RealApiOperator operator;
  private LocalNodes nodes;
  private PrometheusMeterRegistry registry;
  private RealApi api;

  @AfterEach
  void stop() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void anExternalMemberIsProbedJudgedAndCountedLikeAMemberTheOperatorRuns(RealApi api) throws Exception {
    // The nodes' ports first: the Lattice names the external node's URL.
    start(api, IN_CLUSTER, EXTERNAL, SECOND);

    // A Lattice listing the external node, and the one LatticeNode the operator runs.
    Lattice lattice = new Lattice();
    lattice.setMetadata(new ObjectMetaBuilder().withName(LATTICE).build());
    LatticeSpec spec = new LatticeSpec();
    spec.setExternalMembers(List.of(new ExternalMember(EXTERNAL, nodes.url(EXTERNAL), "genesis-public")));
    lattice.setSpec(spec);
    client().resource(lattice).create();
    createNode(IN_CLUSTER);
    // The external node shares the lattice secret the operator made (docs/multi-cluster.md).
    Secret secret = await("the lattice secret").atMost(WAIT).until(
        () -> client().secrets().withName(ResourceNames.latticeSecret(LATTICE)).get(), s -> s != null);
    nodes.useSecret(decoded(secret));

    // Wired as peers: the lattice's peer list, which the pod mounts, holds the external URL.
    var peerList = await("the peer list").atMost(WAIT).until(
        () -> client().configMaps().withName(ResourceNames.latticePeerList(LATTICE)).get(),
        cm -> cm != null && cm.getData().toString().contains(nodes.url(EXTERNAL)));
    System.out.println("peer list: " + peerList.getData());
    nodes.peer(IN_CLUSTER, EXTERNAL);
    nodes.peer(EXTERNAL, IN_CLUSTER);
    nodes.start(IN_CLUSTER);
    nodes.start(EXTERNAL);
    markAvailable(IN_CLUSTER);

    LatticeStatus healthy = awaitLattice("2 of 2 agree, the external one included", s ->
        "Healthy".equals(s.getPhase()) && Integer.valueOf(2).equals(s.getMembers())
            && Integer.valueOf(2).equals(s.getAgreeing()) && external(s) != null
            && "Consistent".equals(external(s).getConsistency()));
    assertThat(healthy.getQuorum()).isEqualTo(2);
    ExternalMemberStatus seen = external(healthy);
    assertThat(seen.getReachable()).isTrue();
    assertThat(seen.getRole()).isEqualTo("genesis-public");
    assertThat(seen.getMerkleRoot()).hasSize(64);
    assertThat(seen.getSyncMode()).isIn("P2P", "HTTP");

    // A write on either side reaches the other.
    nodes.write(IN_CLUSTER, "from-the-cluster");
    nodes.write(EXTERNAL, "from-outside");
    await("both nodes hold both entries").atMost(WAIT).until(() ->
        version(IN_CLUSTER) == 2 && version(EXTERNAL) == 2 && root(IN_CLUSTER).equals(root(EXTERNAL)));
    await("the metrics show the external member with location=\"external\"").atMost(WAIT).until(() ->
        registry.scrape().contains(series("lattice_node_version", EXTERNAL, "external") + " 2.0")
            && registry.scrape().contains(series("lattice_node_merkle_consistent", EXTERNAL, "external") + " 1.0"));

    // Idle: the external member's probes write nothing.
    java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
    await("writes settle").atMost(WAIT).pollInterval(Duration.ofSeconds(3))
        .until(() -> last.getAndSet(api.writes().by(operator.user())) == api.writes().by(operator.user()));
    long settled = api.writes().by(operator.user());
    await("no operator write during 6 probe cycles").during(PROBE.multipliedBy(6)).atMost(PROBE.multipliedBy(9))
        .until(() -> api.writes().by(operator.user()) == settled);

    // A divergence made on the external side. With two members no root has a majority (two on
    // different roots are always Split), so a second member in the cluster gives the lattice one.
    createNode(SECOND);
    nodes.peer(SECOND, IN_CLUSTER, EXTERNAL);
    nodes.peer(IN_CLUSTER, SECOND, EXTERNAL);
    nodes.peer(EXTERNAL, IN_CLUSTER, SECOND);
    nodes.start(SECOND);
    markAvailable(SECOND);
    awaitLattice("3 of 3 agree", s -> "Healthy".equals(s.getPhase()) && Integer.valueOf(3).equals(s.getAgreeing()));
    nodes.peer(EXTERNAL);                   // the external node hears nobody ...
    nodes.peer(IN_CLUSTER, SECOND);         // ... and nobody in the cluster hears it
    nodes.peer(SECOND, IN_CLUSTER);
    await("the external node has no peer left").atMost(WAIT).until(() -> peers(EXTERNAL) == 0);
    nodes.write(EXTERNAL, "only-outside");
    nodes.write(IN_CLUSTER, "only-inside");
    LatticeStatus forked = awaitLattice("the external member is Forked, with evidence", s ->
        external(s) != null && "Forked".equals(external(s).getConsistency()) && external(s).getEvidence() != null);
    System.out.println("external member: " + external(forked).getEvidence());
    assertThat(external(forked).getEvidence()).contains(EXTERNAL + " lacks 1 entry").contains("holds 1");
    assertThat(forked.getEvidence()).contains(EXTERNAL + " (external): ");
    assertThat(forked.getPhase()).isEqualTo("Degraded");
    assertThat(forked.getAgreeing()).isEqualTo(2);
    assertThat(registry.scrape()).contains(series("lattice_node_merkle_consistent", EXTERNAL, "external") + " 0.0");
    assertThat(events()).anySatisfy(m -> assertThat(m).startsWith("MerkleDivergence: External member " + EXTERNAL)
        .contains("past the grace period"));

    // Peered again, it converges on the union; then it stops: Unreachable, never divergent.
    nodes.peer(EXTERNAL, IN_CLUSTER, SECOND);
    nodes.peer(IN_CLUSTER, SECOND, EXTERNAL);
    nodes.peer(SECOND, IN_CLUSTER, EXTERNAL);
    awaitLattice("Healthy again after the heal", s -> "Healthy".equals(s.getPhase())
        && "Consistent".equals(external(s).getConsistency()));
    nodes.stop(EXTERNAL);
    LatticeStatus down = awaitLattice("the stopped external member is unreachable", s ->
        Boolean.FALSE.equals(external(s).getReachable()));
    assertThat(external(down).getConsistency()).isEqualTo("Unobserved");
    assertThat(external(down).getMessage()).startsWith("does not answer the node contract: ");
    assertThat(down.getPhase()).isEqualTo("Degraded");
    assertThat(down.getAgreeing()).isEqualTo(2);
    String scrape = registry.scrape();
    assertThat(scrape).contains(series("lattice_node_up", EXTERNAL, "external") + " 0.0");
    assertThat(scrape).as("a member that does not answer has no consistency verdict")
        .doesNotContain(series("lattice_node_merkle_consistent", EXTERNAL, "external"));
    assertThat(events()).anySatisfy(m -> assertThat(m).contains("External member " + EXTERNAL)
        .contains("never as divergent"));
  }

  /**
   * A hosted node behind https with a private CA that answers only with the right header (a
   * private Space): the operator reaches it with the header from headersSecret and the CA from
   * tls.caSecret, and the header's value shows nowhere. With a CA that did not sign it, the member
   * is Unreachable and says why.
   */
  @Test
  void aHostedMemberBehindHttpsIsReachedWithItsHeaderAndItsCa(RealApi api) throws Exception {
    start(api, EXTERNAL);
    nodes.start(EXTERNAL);
    nodes.write(EXTERNAL, "held-by-the-hosted-node");
    String token = "Bearer hosted-space-token-7f3c";
    SelfSignedTls tls = SelfSignedTls.make(temp.resolve("tls"), "hosted-front");
    try (HeaderGate front = new HeaderGate(nodes.url(EXTERNAL), Map.of("Authorization", token), tls.context())) {
      client().resource(new SecretBuilder().withNewMetadata().withName("hosted-headers").endMetadata()
          .addToStringData("Authorization", token).build()).create();
      client().resource(new SecretBuilder().withNewMetadata().withName("hosted-ca").endMetadata()
          .addToStringData("ca.crt", tls.caPem()).build()).create();
      String otherCa = SelfSignedTls.make(temp.resolve("other-tls"), "someone-else").caPem();
      client().resource(new SecretBuilder().withNewMetadata().withName("other-ca").endMetadata()
          .addToStringData("ca.crt", otherCa).build()).create();

      ExternalMember hosted = new ExternalMember(EXTERNAL, front.url("/hosted"), "genesis-public");
      hosted.setHeadersSecret("hosted-headers");
      hosted.setTls(new ExternalMemberTls("hosted-ca"));
      Lattice lattice = new Lattice();
      lattice.setMetadata(new ObjectMetaBuilder().withName(LATTICE).build());
      lattice.setSpec(new LatticeSpec());
      lattice.getSpec().setExternalMembers(List.of(hosted));
      client().resource(lattice).create();

      LatticeStatus reached = awaitLattice("the hosted member is reached over https with its header",
          s -> external(s) != null && Boolean.TRUE.equals(external(s).getReachable()));
      assertThat(external(reached).getMerkleRoot()).isEqualTo(root(EXTERNAL));
      assertThat(external(reached).getVersion()).isEqualTo(1);
      assertThat(front.seen).as("every request the operator made carried the header").isNotEmpty()
          .allSatisfy(h -> assertThat(h.get("Authorization")).containsExactly(token));

      Edits.edit(client().resources(Lattice.class).withName(LATTICE), l -> {
        l.getSpec().getExternalMembers().get(0).setTls(new ExternalMemberTls("other-ca"));
        return l;
      });
      LatticeStatus refused = awaitLattice("a CA that did not sign the front: Unreachable, saying why",
          s -> Boolean.FALSE.equals(external(s).getReachable()));
      System.out.println("wrong CA: " + external(refused).getMessage());
      assertThat(external(refused).getMessage()).isEqualTo("does not answer the node contract: the TLS"
          + " certificate of 127.0.0.1 is not signed by the CA in its tls.caSecret: put the CA that signed it there");
      String everything = io.fabric8.kubernetes.client.utils.Serialization.asJson(
          client().resources(Lattice.class).withName(LATTICE).get()) + events();
      assertThat(everything).as("the header's value is in no status and no Event").doesNotContain("hosted-space-token");
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The operator on the real API, and these nodes defined (ports chosen, not started). */
  private void start(RealApi api, String... names) throws Exception {
    this.api = api;
    LocalNodes.requireJar();
    startOperator();
    nodes = new LocalNodes(temp, "unset");
    for (String name : names) {
      nodes.define(name);
    }
  }

  private void startOperator() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operator = RealApiOperator.start(api, false,
        Map.of("LATTICE_PROBE_INTERVAL_SECONDS", "1", "LATTICE_UNREACHABLE_AFTER_PROBES", "3",
            "LATTICE_DIVERGENCE_GRACE_SECONDS", Long.toString(GRACE.toSeconds()),
            "LATTICE_STATUS_REFRESH_SECONDS", "2", "LATTICE_PROBE_TIMEOUT_MS", "1000"),
        (client, config) -> LatticeOperator.create(client, config, Clock.systemUTC(),
            (name, namespace) -> nodes == null ? "http://127.0.0.1:1" : nodes.baseUrl(name, namespace), registry));
  }

  private KubernetesClient client() {
    return api.client();
  }

  private void createNode(String name) {
    LatticeNode node = new LatticeNode();
    node.setMetadata(new ObjectMetaBuilder().withName(name).build());
    LatticeNodeSpec spec = new LatticeNodeSpec();
    spec.setLattice(LATTICE);
    spec.setRole("genesis");
    node.setSpec(spec);
    client().resource(node).create();
  }

  /** No Deployment controller runs here: report the node's Deployment available, as one would. */
  private void markAvailable(String name) {
    await("deployment " + name).atMost(WAIT).until(() -> client().apps().deployments().withName(name).get() != null);
    client().apps().deployments().withName(name).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
      return d;
    });
  }

  private LatticeStatus awaitLattice(String what, Predicate<LatticeStatus> until) {
    return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
      Lattice l = client().resources(Lattice.class).withName(LATTICE).get();
      return l == null ? null : l.getStatus();
    }, s -> s != null && until.test(s));
  }

  private static ExternalMemberStatus external(LatticeStatus status) {
    return status.getExternalMembers() == null || status.getExternalMembers().isEmpty()
        ? null
        : status.getExternalMembers().get(0);
  }

  private String series(String metric, String node, String location) {
    return metric + "{lattice=\"" + LATTICE + "\",location=\"" + location + "\",namespace=\"" + api.namespace()
        + "\",node=\"" + node + "\"}";
  }

  private List<String> events() {
    return client().v1().events().list().getItems().stream()
        .filter(e -> LATTICE.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .toList();
  }

  private long version(String node) throws Exception {
    return json(node, "/api/lattice/state").path("version").asLong();
  }

  private String root(String node) throws Exception {
    return json(node, "/api/lattice/state").path("merkle_root").asText();
  }

  private int peers(String node) throws Exception {
    return json(node, "/api/lattice/p2p/status").path("peer_count").asInt();
  }

  private com.fasterxml.jackson.databind.JsonNode json(String node, String path) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(nodes.get(node, path).body());
  }

  private static String decoded(Secret secret) {
    return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }
}
