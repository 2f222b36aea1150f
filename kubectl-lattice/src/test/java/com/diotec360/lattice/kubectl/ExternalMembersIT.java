package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.testing.HeaderGate;
import com.diotec360.lattice.testing.SelfSignedTls;
import com.diotec360.lattice.view.LatticeNodes;
import com.diotec360.lattice.view.Lattices;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External members as a user of the plugin meets them, against real components: the strict
 * embedded API, two real reference-node processes (one behind a LatticeNode, reached through the
 * API server's service proxy; one standing for an external member, behind a front that wants
 * headers, as a private hosted node does) and the Secret those headers come from. The Lattice's
 * status.externalMembers is written through the API as the operator writes it, so the test does
 * not wait for an operator to probe.
 */
class ExternalMembersIT {

  static final String NS = "ext";
  static final Map<String, String> HEADERS = Map.of("Authorization", "Bearer hosted-token-4711", "X-Space-Key", "space-key-0815");

  @TempDir static Path work;
  static EmbeddedApiServer api;
  static KubernetesClient client;
  static NodeProcesses processes;
  static HeaderGate gate;
  static HeaderGate tlsGate;
  static String caPem;
  static Path kubeconfig;
  static List<String> onlyInside;
  static String insideRoot;
  static String outsideRoot;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    NodeProcesses.requireJar();
    processes = new NodeProcesses(work.resolve("nodes"));
    processes.start("inside");
    processes.start("outside");
    // Both hold what the lattice agreed on; only the member the operator runs has the newest two.
    processes.write("inside", "genesis", "second");
    processes.write("outside", "genesis", "second");
    onlyInside = processes.write("inside", "third", "fourth");
    insideRoot = processes.root("inside");
    outsideRoot = processes.root("outside");
    gate = new HeaderGate(processes.url("outside"), HEADERS);
    SelfSignedTls tls = SelfSignedTls.make(work.resolve("tls"), "hosted-front");
    caPem = tls.caPem();
    tlsGate = new HeaderGate(processes.url("outside"), HEADERS, tls.context());

    api = EmbeddedApiServer.start(0, Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
    client = api.client();
    kubeconfig = api.writeKubeconfig(work.resolve("kubeconfig"), NS);
    api.serviceBackends((namespace, service, port, portName) ->
        NS.equals(namespace) && "node-in".equals(service) ? Optional.of(URI.create(processes.url("inside"))) : Optional.empty());
    client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("node-in").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(8000).endPort().endSpec().build()).create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("hosted-headers").endMetadata()
        .addToStringData(HEADERS).build()).create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("hosted-ca").endMetadata()
        .addToStringData("ca.crt", caPem).build()).create();

    TestNodes nodes = new TestNodes(client, NS);
    nodes.create("node-in", "hybrid", "auto");
    nodes.status("node-in", TestNodes.status("Running", "P2P", 0, 4, insideRoot, "Consistent", "True"));

    GenericKubernetesResource lattice = new GenericKubernetesResource();
    lattice.setApiVersion(LatticeNodes.API_VERSION);
    lattice.setKind(Lattices.KIND);
    lattice.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("hybrid").withNamespace(NS).build());
    lattice.setAdditionalProperty("spec", Map.of("externalMembers", List.of(
        external("ext-hosted", gate.url("/hosted"), "hosted-headers"),
        external("ext-down", "http://127.0.0.1:9", null),
        external("ext-echo", gate.url("/echo"), "hosted-headers"),
        external("ext-nosecret", gate.url("/never-reached"), "absent-headers"),
        external("ext-new", "https://new.example", null),
        withCa(external("ext-tls", tlsGate.url("/hosted"), "hosted-headers"), "hosted-ca"),
        external("ext-tls-noca", tlsGate.url("/untrusted"), "hosted-headers"))));
    Lattices.api(client).inNamespace(NS).resource(lattice).create();
    Map<String, Object> status = TestNodes.latticeStatus("Degraded", 6, 1, insideRoot,
        "A strict majority holds the reference root; ext-hosted is Behind, ext-down is Unobserved");
    status.put("quorum", 4);
    status.put("externalMembers", List.of(
        observed("ext-hosted", gate.url("/hosted"), true, "Behind", outsideRoot, 2, "HTTP", null,
            "ext-hosted lacks 2 entries node-in holds; buckets " + onlyInside.get(0).substring(0, 4)),
        observed("ext-down", "http://127.0.0.1:9", false, "Unobserved", null, null, null,
            "GET /health: connection refused", null),
        observed("ext-echo", gate.url("/echo"), true, "Consistent", insideRoot, 4, "P2P", null, null),
        observed("ext-nosecret", gate.url("/never-reached"), true, "Consistent", insideRoot, 4, "P2P", null, null)));
    nodes.latticeStatus("hybrid", status);
  }

  static Map<String, Object> external(String name, String url, String headersSecret) {
    Map<String, Object> e = new LinkedHashMap<>(Map.of("name", name, "url", url, "role", "genesis-public"));
    if (headersSecret != null) {
      e.put("headersSecret", headersSecret);
    }
    return e;
  }

  static Map<String, Object> withCa(Map<String, Object> member, String caSecret) {
    member.put("tls", Map.of("caSecret", caSecret));
    return member;
  }

  static Map<String, Object> observed(String name, String url, boolean reachable, String verdict, String root,
      Integer version, String mode, String message, String evidence) {
    Map<String, Object> s = new LinkedHashMap<>(Map.of("name", name, "url", url, "role", "genesis-public",
        "reachable", reachable, "consistency", verdict));
    Optional.ofNullable(root).ifPresent(r -> s.put("merkleRoot", r));
    Optional.ofNullable(version).ifPresent(v -> s.put("version", v));
    Optional.ofNullable(mode).ifPresent(m -> s.put("syncMode", m));
    Optional.ofNullable(message).ifPresent(m -> s.put("message", m));
    Optional.ofNullable(evidence).ifPresent(e -> s.put("evidence", e));
    return s;
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (gate != null) {
      gate.close();
    }
    if (tlsGate != null) {
      tlsGate.close();
    }
    if (processes != null) {
      processes.close();
    }
  }

  static Run plugin(String... args) {
    return run(false, kubeconfig, args);
  }

  static Run run(boolean tty, Path config, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-n", NS, "--kubeconfig", config.toString()));
    int exit = KubectlLattice.run(all.toArray(String[]::new), new KubectlLattice.Cli(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        tty, Clock.systemUTC(), Map.of()));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String line(String output, String startsWith) {
    return output.lines().filter(l -> l.startsWith(startsWith)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + startsWith + "' in:\n" + output));
  }

  @Test
  void statusShowsTheExternalMembersInAGroupOfTheirOwn() throws Exception {
    Run run = plugin("status", "hybrid");
    assertThat(run.exit()).as(run.err()).isZero();
    String out = run.out();
    List<String> lines = out.lines().toList();
    int node = lines.indexOf(line(out, "node-in "));
    int group = lines.indexOf("  external members (not run by the operator; as it last probed them):");
    assertThat(group).as("the external group comes after the nodes:\n" + out).isGreaterThan(node);
    assertThat(lines.get(group + 1)).matches("EXTERNAL +URL +ROLE +REACHABLE +MODE +VERSION +ROOT +VERDICT +EVIDENCE"
        + " +MESSAGE +STATE");
    assertThat(line(out, "ext-hosted ")).containsPattern(
        "ext-hosted +" + gate.url("/hosted") + " +genesis-public +yes +HTTP +2 +" + outsideRoot.substring(0, 12)
            + " +Behind +ext-hosted lacks 2 entries node-in holds; buckets \\w{4} +- +yellow: Behind \\(within grace\\)$");
    assertThat(line(out, "ext-down ")).containsPattern(
        "ext-down +http://127.0.0.1:9 +genesis-public +no +- +- +- +Unobserved +- +GET /health: connection refused"
            + " +red: Unreachable$");
    assertThat(line(out, "ext-echo ")).endsWith("green: Healthy: P2P, Consistent");
    assertThat(line(out, "ext-new ")).containsPattern("ext-new +https://new.example +genesis-public +- .*yellow: Not probed yet$");
    assertThat(out).as("an external member is no node row").doesNotContainPattern("(?m)^ext-\\S+ +genesis-public +Running");
    assertThat(out).as("nothing from or about a Secret").doesNotContain("hosted-headers").doesNotContain("absent-headers")
        .doesNotContain("hosted-token-4711").doesNotContain("space-key-0815");

    String coloured = run(true, kubeconfig, "status", "hybrid").out();
    assertThat(line(coloured, "ext-down ")).as("the same colours as a node's STATE").endsWith("\u001b[1;31mred: Unreachable\u001b[0m");
    assertThat(line(coloured, "ext-echo ")).endsWith("\u001b[32mgreen: Healthy: P2P, Consistent\u001b[0m");

    JsonNode json = new ObjectMapper().readTree(plugin("status", "hybrid", "-o", "json").out());
    JsonNode external = json.at("/lattices/0/externalMembers");
    assertThat(external.findValuesAsText("name")).containsExactly("ext-hosted", "ext-down", "ext-echo", "ext-nosecret", "ext-new", "ext-tls",
        "ext-tls-noca");
    assertThat(external.get(0).path("health").asText()).isEqualTo("YELLOW");
    assertThat(json.at("/lattices/0/nodes").findValuesAsText("name")).containsExactly("node-in");
  }

  /** The member the operator runs has two entries the external member lacks: both ways round, walked now. */
  @Test
  void diffWalksAnInClusterNodeAndAnExternalMemberNow() {
    Run in = plugin("diff", "node-in", "ext-hosted", "--exit-code");
    assertThat(in.exit()).as(in.out() + in.err()).isEqualTo(1);
    assertThat(in.out())
        .contains("AGAINST     ext-hosted (external member, as asked)  root " + outsideRoot)
        .contains("ROOTS       differ (now)")
        .contains("ENTRIES     node-in holds 2 entries ext-hosted lacks")
        .contains("COMPARED    now, node-in through the API server's service proxy, ext-hosted directly at "
            + gate.url("/hosted") + " (headers from Secret hosted-headers): 10 tree requests");

    // Without a member named, the external member is compared with one holding the reference root.
    Run out = plugin("diff", "ext-hosted");
    assertThat(out.exit()).as(out.err()).isZero();
    assertThat(out.out())
        .contains("NODE        ext-hosted (external member, lattice hybrid, version 2, verdict Behind)  root " + outsideRoot)
        .contains("AGAINST     node-in (holds the reference root)  root " + insideRoot)
        .contains("ENTRIES     ext-hosted lacks 2 entries node-in holds")
        .contains("  lacks     " + String.join(", ", onlyInside.stream().sorted().toList()) + "\n");

    assertThat(gate.seen).as("the gate saw the Secret's headers").isNotEmpty().allSatisfy(headers -> {
      assertThat(headers.get("X-space-key")).containsExactly("space-key-0815");
      assertThat(headers.get("Authorization")).as("and never the kubeconfig's credentials")
          .containsExactly("Bearer hosted-token-4711");
    });
    for (Run run : List.of(in, out)) {
      assertThat(run.out() + run.err()).as("no header value printed").doesNotContain("hosted-token-4711")
          .doesNotContain("space-key-0815");
    }
  }

  /** An https member with a private CA: trusted through its tls.caSecret, refused without it, and said so. */
  @Test
  void anHttpsMemberIsTrustedThroughItsCaSecret() {
    Run trusted = plugin("diff", "node-in", "ext-tls");
    assertThat(trusted.exit()).as(trusted.err()).isZero();
    assertThat(trusted.out())
        .contains("ENTRIES     node-in holds 2 entries ext-tls lacks")
        .contains("ext-tls directly at " + tlsGate.url("/hosted")
            + " (headers from Secret hosted-headers, CA from Secret hosted-ca): 10 tree requests");
    assertThat(tlsGate.url("/hosted")).startsWith("https://");

    Run untrusted = plugin("diff", "node-in", "ext-tls-noca");
    assertThat(untrusted.out())
        .contains("ENTRIES     not compared now: the comparison failed: TLS with ext-tls-noca at " + tlsGate.url("/untrusted")
            + "/api/lattice/tree failed (")
        .contains("a private or self-signed CA goes in the member's tls.caSecret");
  }

  @Test
  void aSecretTheUserMayNotReadOrThatIsMissingIsSaidClearly() throws Exception {
    var reader = new ClusterRoleBuilder().withNewMetadata().withName("lattice-differ").endMetadata()
        .addNewRule().withApiGroups(LatticeNodes.GROUP).withResources("latticenodes", "lattices").withVerbs("get", "list").endRule()
        .addNewRule().withApiGroups("").withResources("events").withVerbs("list").endRule()
        .addNewRule().withApiGroups("").withResources("services/proxy").withVerbs("create").endRule()
        .build();
    Path config = api.writeKubeconfig(work.resolve("differ.kubeconfig"), NS, api.bindToken("dora", List.of(reader), List.of()));
    Run refused = run(false, config, "diff", "ext-hosted", "--exit-code");
    assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
    assertThat(refused.out())
        .contains("ENTRIES     not compared now: you may not read Secret hosted-headers (the headers for external member"
            + " ext-hosted): secrets \"hosted-headers\" is forbidden: User \"dora\" cannot get resource \"secrets\"")
        .contains("(kubectl auth can-i get secret/hosted-headers -n ext)")
        .contains("OPERATOR    ext-hosted lacks 2 entries node-in holds; buckets ");

    Run missing = plugin("diff", "node-in", "ext-nosecret");
    assertThat(missing.exit()).isZero();
    assertThat(missing.out()).contains("ENTRIES     not compared now: Secret absent-headers (the headers for external member"
        + " ext-nosecret) does not exist in namespace ext");
  }

  @Test
  void whatAnExternalMemberAnswersIsShownWithoutTheHeaderValues() {
    Run echo = plugin("diff", "node-in", "--against", "ext-echo");
    assertThat(echo.out())
        .contains("ENTRIES     not compared now: the comparison failed: ext-echo at " + gate.url("/echo")
            + "/api/lattice/tree answered 403 (denied; you sent ")
        .contains("it does not accept the headers from its headersSecret")
        .doesNotContain("hosted-token-4711").doesNotContain("space-key-0815");

    Run down = plugin("diff", "node-in", "ext-down");
    assertThat(down.out()).contains("ENTRIES     not compared now: the comparison failed: cannot connect to ext-down at"
        + " http://127.0.0.1:9/api/lattice/tree from this machine");
  }

  @Test
  void anUnknownMemberNamesEveryMemberOfTheLatticeAndAnExternalOneIsNotSwitched() {
    Run run = plugin("diff", "ghost");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("error: no member \"ghost\" in namespace ext (lattice hybrid: node-in, ext-hosted"
        + " (external), ext-down (external), ext-echo (external), ext-nosecret (external), ext-new (external),"
        + " ext-tls (external), ext-tls-noca (external))\n");
    Run against = plugin("diff", "node-in", "--against", "ghost");
    assertThat(against.err()).startsWith("error: no member \"ghost\" in namespace ext (lattice hybrid: node-in, ");
    Run switchExternal = plugin("switch", "ext-hosted", "--mode", "p2p");
    assertThat(switchExternal.exit()).isEqualTo(1);
    assertThat(switchExternal.err()).isEqualTo("error: ext-hosted is an external member of lattice hybrid ("
        + gate.url("/hosted") + "): the operator does not run it and never switches its mode; switch it where it runs\n");
    Run twice = plugin("diff", "node-in", "ext-hosted", "--against", "ext-down");
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).startsWith("error: give the member to compare with once");
  }
}
