package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.embedded.Kubectl;
import com.diotec360.lattice.local.LocalLattice;
import com.diotec360.lattice.local.cli.ManifestLoader;
import com.diotec360.lattice.view.LatticeNodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plugin's commands against the strict embedded API with the real operator and real
 * reference-node processes (local-lattice running examples/dual-node.yaml).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginIT {

  static final String NS = "default";
  static final String NODE1 = "node1-huggingface";
  static final String NODE2 = "node2-local";
  static final String LEAKED = "s3cr3t-VALUE-123";

  @TempDir static Path work;
  static LocalLattice lattice;
  static Path kubeconfig;

  /** What one in-process run printed and returned. */
  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    Path home = Path.of(System.getProperty("lattice.home", ".."));
    Path nodeJar = Path.of(System.getProperty("lattice.nodeJar", "../node-image/target/lattice-node.jar"));
    lattice = LocalLattice.start(LocalLattice.Settings.anyPorts(work.resolve("lattice"), nodeJar, NS), m -> {});
    kubeconfig = lattice.kubeconfig();
    ManifestLoader loader = new ManifestLoader(lattice.client(), NS);
    loader.apply(loader.read(home.resolve("examples/dual-node.yaml")));
    try {
      await("both nodes Running, P2P with a peer, Consistent, and their Lattice Healthy, as the operator reports them")
          .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> {
            JsonNode doc = new ObjectMapper().readTree(plugin("status", "-o", "json").out());
            JsonNode nodes = doc.at("/lattices/0/nodes");
            return nodes.size() == 2
                && nodes.findValuesAsText("health").stream().allMatch("GREEN"::equals)
                && nodes.findValuesAsText("peers").stream().allMatch("1"::equals)
                && doc.at("/lattices/0/phase").asText().equals("Healthy")
                && doc.at("/lattices/0/agreeing").asText().equals("2");
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder why = new StringBuilder(e.getMessage()).append("\nstatus now:\n").append(plugin("status").out());
      for (String node : List.of(NODE1, NODE2)) {
        Path log = lattice.runtime().directoryOf(NS, node).resolve("node.log");
        if (Files.exists(log)) {
          List<String> lines = Files.readAllLines(log);
          why.append("\n--- ").append(log).append(" (last 30 lines)\n")
              .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
      }
      throw new AssertionError(why.toString(), e);
    }
  }

  @AfterAll
  static void stop() {
    if (lattice != null) {
      lattice.close();
    }
  }

  static Run plugin(String... args) {
    return run(false, kubeconfig, args);
  }

  static Run run(boolean tty, Path config, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    if (config != null) {
      all.add("--kubeconfig");
      all.add(config.toString());
    }
    int exit = KubectlLattice.run(all.toArray(String[]::new), new KubectlLattice.Cli(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        tty, Clock.systemUTC(), Map.of()));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void statusMatchesTheGoldenOutput() throws Exception {
    Run run = plugin("status");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    Golden.assertMatches("status-dual-node.txt", Golden.normalize(run.out()));
  }

  @Test
  @Order(2)
  void statusForScriptsAndForTerminals() throws Exception {
    JsonNode json = new ObjectMapper().readTree(plugin("status", "diotec360", "-o", "json").out());
    assertThat(json.at("/lattices/0/name").asText()).isEqualTo("diotec360");
    assertThat(json.at("/lattices/0/members").asInt()).isEqualTo(2);
    assertThat(json.at("/lattices/0/phase").asText()).isEqualTo("Healthy");
    assertThat(json.at("/lattices/0/quorum").asText()).isEqualTo("2");
    assertThat(json.at("/lattices/0/rootShort").asText()).isEqualTo("07a313c836d3");
    // The Lattice's status exactly as the operator wrote it, for scripts.
    assertThat(json.at("/lattices/0/status/members").isInt()).isTrue();
    assertThat(json.at("/lattices/0/status/conditions").findValuesAsText("type")).contains("Ready", "Quorum");
    assertThat(json.at("/lattices/0/status/refreshedAt").asText()).isEqualTo(json.at("/lattices/0/refreshedAt").asText());
    assertThat(json.at("/lattices/0/nodes/0/verdict").asText()).isEqualTo("Consistent");
    assertThat(json.at("/lattices/0/nodes/0/rootWrittenAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    JsonNode yaml = Serialization.yamlMapper().readTree(plugin("status", "-o", "yaml").out());
    assertThat(yaml.at("/lattices/0/nodes/1/name").asText()).isEqualTo(NODE2);
    assertThat(yaml.at("/lattices/0/status/phase").asText()).isEqualTo("Healthy");

    Run everywhere = plugin("status", "-A");
    assertThat(everywhere.exit()).isZero();
    assertThat(everywhere.out()).startsWith("LATTICE diotec360  (namespace default)");

    String plain = plugin("status").out();
    String coloured = run(true, kubeconfig, "status").out();
    assertThat(plain).doesNotContain("\u001b[");
    assertThat(coloured).contains("\u001b[32m").contains("green: Healthy: P2P, Consistent");
    assertThat(Golden.normalize(coloured.replaceAll("\u001b\\[[0-9;]*m", "")))
        .as("colour is never the only signal: without it the words are the same")
        .isEqualTo(Golden.normalize(plain));
  }

  @Test
  @Order(3)
  void diffWalksBothTriesNowThroughTheServiceProxy() {
    Run reference = plugin("diff", NODE1);
    assertThat(reference.exit()).as(reference.err()).isZero();
    assertThat(reference.out())
        .contains("AGAINST     " + NODE2 + " (holds the reference root)  root 07a313c836d3")
        .contains("ROOTS       same")
        .contains("ENTRIES     " + NODE1 + " holds the same entries as " + NODE2)
        // Equal roots end the walk at the first level: one request to each node.
        .contains("COMPARED    now, through the API server's service proxy: 2 tree requests");
    Run against = plugin("diff", NODE1, "--against", NODE2, "--exit-code");
    assertThat(against.exit()).as(against.out()).isZero();
    assertThat(against.out()).contains("AGAINST     " + NODE2 + " (as asked)");
  }

  @Test
  @Order(4)
  void switchPatchesTheSpecAndReportsWhatTheNodeNowDoes() {
    Run toHttp = plugin("switch", NODE2, "--mode", "http", "--timeout", "90");
    assertThat(toHttp.exit()).as(toHttp.out() + toHttp.err()).isZero();
    assertThat(toHttp.out())
        .contains("latticenode/" + NODE2 + ": spec.sync.mode auto -> http")
        .contains(NODE2 + " now syncs over HTTP")
        .contains("state yellow: HTTP (forced)");
    assertThat(mode(NODE2)).isEqualTo("http");

    Run back = plugin("switch", NODE2, "--mode", "auto", "--timeout", "90");
    assertThat(back.exit()).as(back.out() + back.err()).isZero();
    assertThat(back.out()).contains("spec.sync.mode http -> auto").contains(NODE2 + " now syncs over");
    assertThat(mode(NODE2)).isEqualTo("auto");
  }

  static Run kubectlPlugin(Kubectl kubectl, Path bin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Kubectl.onPath().orElseThrow().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", kubectl.kubeconfig().toString());
    builder.environment().put("HOME", kubectl.kubeconfig().getParent().toString());
    builder.environment().put("PATH", bin.getParent() + java.io.File.pathSeparator + System.getenv("PATH"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output, "");
  }

  static String mode(String node) {
    return LatticeNodes.json(LatticeNodes.api(lattice.client()).inNamespace(NS).withName(node).get())
        .at("/spec/sync/mode").asText();
  }

  @Test
  @Order(5)
  void reportHoldsEverythingButSecretValues() throws Exception {
    var client = lattice.client();
    GenericKubernetesResource node1 = LatticeNodes.api(client).inNamespace(NS).withName(NODE1).get();
    var owner = new OwnerReferenceBuilder().withApiVersion(LatticeNodes.API_VERSION).withKind(LatticeNodes.KIND)
        .withName(NODE1).withUid(node1.getMetadata().getUid()).build();
    String encoded = Base64.getEncoder().encodeToString(LEAKED.getBytes(StandardCharsets.UTF_8));
    client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("api-key").withOwnerReferences(owner)
        .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration",
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"key\":\"" + encoded + "\"}}")
        .endMetadata()
        .addToData("key", encoded).build()).create();
    // A value that leaked into a ConfigMap (a user's mistake) is scrubbed too.
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("oops").withOwnerReferences(owner).endMetadata()
        .addToData("note", "the key is " + LEAKED).build()).create();
    String token = new String(Base64.getDecoder().decode(
        client.secrets().inNamespace(NS).withName("diotec360-lattice-secret").get().getData().get("token")), StandardCharsets.UTF_8);

    Path zip = work.resolve("report.zip");
    Run run = plugin("report", "-f", zip.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("wrote " + zip + ": 2 LatticeNode(s)").contains("Secret values redacted");

    Map<String, String> entries = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      z.stream().forEach(e -> {
        try {
          entries.put(e.getName(), new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      });
    }
    assertThat(entries).containsKeys("README.txt", "status.txt", "latticenodes.yaml", "lattices.yaml", "events.yaml",
        "owned/default/" + NODE1 + ".yaml", "owned/default/" + NODE2 + ".yaml", "owned/default/lattice/diotec360.yaml");
    String all = String.join("\n", entries.values());
    for (String secret : List.of(LEAKED, encoded, token,
        Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))) {
      assertThat(all).as("no secret value anywhere in the report").doesNotContain(secret);
    }
    String owned = entries.get("owned/default/" + NODE1 + ".yaml");
    assertThat(owned).contains("name: \"api-key\"").contains("key: \"REDACTED (16 bytes)\"")
        .contains("kubectl.kubernetes.io/last-applied-configuration: \"REDACTED\"")
        .contains("note: \"the key is REDACTED\"")
        .contains("name: \"" + NODE1 + "-config\"").contains("kind: \"Deployment\"");
    assertThat(entries.get("latticenodes.yaml")).contains("name: \"" + NODE1 + "\"").contains("name: \"" + NODE2 + "\"");
    assertThat(entries.get("lattices.yaml")).contains("name: \"diotec360\"").contains("phase: \"Healthy\"");
    assertThat(entries.get("owned/default/lattice/diotec360.yaml"))
        .as("what the Lattice owns: its Secret (redacted), peers Service, budget")
        .contains("name: \"diotec360-lattice-secret\"").contains("token: \"REDACTED (");
    assertThat(entries.get("events.yaml")).contains("SyncModeSwitched");
    assertThat(entries.get("README.txt")).contains("operator logs: no pod labelled app.kubernetes.io/name=lattice-operator");
  }

  static List<Object[]> badInput() {
    return List.of(
        new Object[] {List.of("status", "nope"), 1, "error: no lattice \"nope\" in namespace default (lattices there: diotec360)"},
        new Object[] {List.of("switch", "ghost", "--mode", "http"), 1,
            "error: no LatticeNode \"ghost\" in namespace default (there are: node1-huggingface, node2-local)"},
        new Object[] {List.of("diff", "ghost"), 1,
            "error: no member \"ghost\" in namespace default (lattice diotec360: node1-huggingface, node2-local)"},
        new Object[] {List.of("diff", NODE1, "--against", "ghost"), 1, "error: no member \"ghost\""},
        new Object[] {List.of("status", "-n", "elsewhere"), 0, ""},
        new Object[] {List.of("switch", NODE1, "--mode", "fast"), 2, "error: --mode must be one of auto, http, p2p, not 'fast'"},
        new Object[] {List.of("switch", NODE1), 2, "error: switch needs --mode auto, p2p or http"},
        new Object[] {List.of("switch", "--mode", "http"), 2, "error: switch needs exactly one NODE"},
        new Object[] {List.of("switch", NODE1, "--mode", "http", "--timeout", "soon"), 2, "error: --timeout needs a whole number"},
        new Object[] {List.of("status", "-n", "x", "-A"), 2, "error: -n and -A contradict each other"},
        new Object[] {List.of("status", "-n", "Not_A_Namespace"), 2, "error: 'Not_A_Namespace' is not a namespace name"},
        new Object[] {List.of("status", "-o", "xml"), 2, "error: --output must be one of json, text, yaml, not 'xml'"},
        new Object[] {List.of("status", "--bogus"), 2, "error: unknown flag --bogus"},
        new Object[] {List.of("frobnicate"), 2, "error: unknown command 'frobnicate'"},
        new Object[] {List.of("dashboard", "--port", "99999"), 2, "error: --port must be 0..65535"});
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @MethodSource("badInput")
  @Order(6)
  void badInputGetsOneClearLineAndAnExitCode(List<String> args, int exit, String line) {
    Run run = plugin(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(exit);
    if (exit == 0) {
      assertThat(run.out()).isEqualTo("No LatticeNodes in namespace elsewhere.\n");
      return;
    }
    assertThat(run.err().lines().toList()).as("one line on stderr").hasSize(1);
    assertThat(run.err()).startsWith(line);
    assertThat(run.out()).isEmpty();
  }

  @Test
  @Order(7)
  void noPermissionGetsOneClearLineAndExitOne() throws Exception {
    String viewer = lattice.api().bindToken("bob",
        List.of(new ClusterRoleBuilder().withNewMetadata().withName("viewer").endMetadata()
            .addNewRule().withApiGroups(LatticeNodes.GROUP).withResources("latticenodes").withVerbs("get", "list", "watch").endRule()
            .build()),
        List.of());
    Path viewerConfig = lattice.api().writeKubeconfig(work.resolve("viewer.kubeconfig"), NS, viewer);
    Run refused = run(false, viewerConfig, "switch", NODE1, "--mode", "http");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("error: cannot switch " + NODE1 + ": permission denied: latticenodes.lattice.diotec360.com \""
        + NODE1 + "\" is forbidden: User \"bob\" cannot patch resource \"latticenodes\" in API group \""
        + LatticeNodes.GROUP + "\" in the namespace \"default\"\n");
    assertThat(mode(NODE1)).isEqualTo("auto");
    Run withoutEvents = run(false, viewerConfig, "status");
    assertThat(withoutEvents.exit()).as("Lattices and Events are optional").isZero();
    assertThat(withoutEvents.out()).contains("(Events not shown: events is forbidden: User \"bob\" cannot list")
        .contains("(Lattices not shown (the lattice header needs list on lattices.lattice.diotec360.com):"
            + " lattices.lattice.diotec360.com is forbidden: User \"bob\" cannot list resource \"lattices\"")
        .contains("LATTICE diotec360  (namespace default)  yellow: No Lattice yet")
        .contains(NODE1).contains(NODE2);

    String nobody = lattice.api().bindToken("eve", List.of(), List.of());
    Path nobodyConfig = lattice.api().writeKubeconfig(work.resolve("nobody.kubeconfig"), NS, nobody);
    Run cannotList = run(false, nobodyConfig, "status");
    assertThat(cannotList.exit()).isEqualTo(1);
    assertThat(cannotList.err()).startsWith("error: cannot list latticenodes in namespace default: permission denied:")
        .contains("User \"eve\" cannot list resource \"latticenodes\"");
    assertThat(cannotList.err().lines()).hasSize(1);
  }

  @Test
  @Order(8)
  void anUnreachableApiGetsOneClearLine() throws Exception {
    Path dead = Files.writeString(work.resolve("dead.kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: dead, cluster: {server: "http://127.0.0.1:9"}}]
        contexts: [{name: dead, context: {cluster: dead, user: u, namespace: default}}]
        current-context: dead
        users: [{name: u, user: {token: t}}]
        """);
    Run run = run(false, dead, "status");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: cannot list latticenodes in namespace default: cannot reach the Kubernetes API at http://127.0.0.1:9");
    assertThat(run.err().lines()).hasSize(1);
    Run missing = run(false, work.resolve("absent.kubeconfig"), "status");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: --kubeconfig " + work.resolve("absent.kubeconfig") + " does not exist");
  }

  @Test
  @Order(9)
  void kubectlFindsThePluginOnPath() throws Exception {
    Optional<Kubectl> kubectl = Kubectl.find(lattice.api(), work.resolve("kubectl"), NS);
    org.junit.jupiter.api.Assumptions.assumeTrue(kubectl.isPresent(), Kubectl.SKIP_MESSAGE);
    Path bin = Path.of(System.getProperty("kubectl.lattice.bin", "bin/kubectl-lattice")).toAbsolutePath();
    assertThat(Path.of(System.getProperty("kubectl.lattice.jar", "target/kubectl-lattice.jar"))).exists();
    // kubectl refuses global flags before a plugin's name, so no --cache-dir here: its own HOME.
    Run status = kubectlPlugin(kubectl.get(), bin, "lattice", "status");
    assertThat(status.exit()).as(status.out()).isZero();
    assertThat(status.out()).contains("LATTICE diotec360  (namespace default)").contains(NODE1).contains(NODE2);

    // The README's one-line answer to "is my lattice healthy", next to kubectl get ln.
    Run lat = kubectlPlugin(kubectl.get(), bin, "get", "lat");
    assertThat(lat.exit()).as(lat.out()).isZero();
    assertThat(lat.out())
        .containsPattern("NAME +MEMBERS +AGREEING +QUORUM +ROOT +PHASE +AGE")
        .containsPattern("diotec360 +2 +2 +2 +07a313c836d3 +Healthy +");

    Run bad = kubectlPlugin(kubectl.get(), bin, "lattice", "switch", "ghost", "--mode", "http");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out().strip()).isEqualTo(
        "error: no LatticeNode \"ghost\" in namespace default (there are: node1-huggingface, node2-local)");
  }

  @Test
  @Order(10)
  void dashboardPrintsItsUrlAndServesThePageUntilStopped() throws Exception {
    Path bin = Path.of(System.getProperty("kubectl.lattice.bin", "bin/kubectl-lattice"));
    ProcessBuilder builder = new ProcessBuilder(bin.toString(), "dashboard", "--port", "0", "--kubeconfig", kubeconfig.toString())
        .redirectErrorStream(true);
    builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
    Process dashboard = builder.start();
    try {
      var lines = new java.io.BufferedReader(new java.io.InputStreamReader(dashboard.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      assertThat(first).matches("lattice status page for namespace default: http://127\\.0\\.0\\.1:\\d+/");
      String url = first.substring(first.indexOf("http://"));
      var http = java.net.http.HttpClient.newHttpClient();
      var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>Lattice status</title>");
      var snapshot = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "api/snapshot")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(new ObjectMapper().readTree(snapshot.body()).at("/lattices/0/nodes").size()).isEqualTo(2);
    } finally {
      dashboard.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook stops the page
      assertThat(dashboard.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the dashboard stops on SIGTERM").isTrue();
    }
  }

  /**
   * A real divergence: trio-c gossips with nobody and polls once an hour, and trio-a and trio-b
   * gossip only (forced P2P: in auto mode they would poll trio-c, which has no P2P link to them), so
   * an entry written to trio-a after the three agreed reaches trio-b only. The operator finds trio-c Behind and writes
   * its evidence; {@code status} shows that evidence, and {@code diff} finds the same entry by
   * walking both nodes' tries now, through the API server's service proxy, or falls back to the
   * operator's evidence for a user who may not use the proxy.
   */
  @Test
  @Order(11)
  void diffNamesTheEntriesADivergedNodeLacks() throws Exception {
    ManifestLoader loader = new ManifestLoader(lattice.client(), NS);
    loader.apply(loader.read(new java.io.ByteArrayInputStream(TRIO.getBytes(StandardCharsets.UTF_8)), "trio.yaml"));
    await("trio-a, trio-b and trio-c Consistent").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> verdicts("trio").equals(Map.of("trio-a", "Consistent", "trio-b", "Consistent", "trio-c", "Consistent")));

    String id = lattice.write(NS, "trio-a", "only-trio-a-and-trio-b-see-this");
    await("trio-c Behind with the operator's evidence").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> node("trio", "trio-c").path("evidence").asText().contains("lacks 1 entry"));
    String row = plugin("status", "trio").out().lines().filter(l -> l.startsWith("trio-c ")).findFirst().orElseThrow();
    assertThat(row).contains("Behind").contains("trio-c lacks 1 entry trio-a holds; buckets " + id.substring(0, 4));

    Run behind = plugin("diff", "trio-c", "--exit-code");
    assertThat(behind.exit()).as(behind.out() + behind.err()).isEqualTo(1);
    assertThat(behind.out())
        .containsPattern("NODE        trio-c \\(lattice trio, version \\d+, verdict Behind\\)")
        .contains("AGAINST     trio-a (holds the reference root)")
        .contains("ROOTS       differ")
        .contains("ENTRIES     trio-c lacks 1 entry trio-a holds; buckets " + id.substring(0, 4) + "\n")
        .contains("  lacks     " + id + "\n")
        .contains("COMPARED    now, through the API server's service proxy: 10 tree requests");
    Run ahead = plugin("diff", "trio-a", "--against", "trio-c");
    assertThat(ahead.exit()).isZero();
    assertThat(ahead.out())
        .contains("ENTRIES     trio-a holds 1 entry trio-c lacks")
        .contains("  only here " + id + "\n");

    // A user who may read LatticeNodes but not use the service proxy gets the operator's evidence.
    var reader = new ClusterRoleBuilder().withNewMetadata().withName("lattice-reader").endMetadata()
        .addNewRule().withApiGroups(LatticeNodes.GROUP).withResources("latticenodes").withVerbs("get", "list").endRule()
        .addNewRule().withApiGroups("").withResources("events").withVerbs("list").endRule()
        .build();
    Path readerConfig = lattice.api().writeKubeconfig(work.resolve("reader.kubeconfig"), NS,
        lattice.api().bindToken("rita", List.of(reader), List.of()));
    Run fallback = run(false, readerConfig, "diff", "trio-c");
    assertThat(fallback.exit()).as(fallback.err()).isZero();
    // Without the Lattice (and its reference root) the verdicts still say trio-a holds it, even
    // while trio-a's written root is a refresh behind.
    assertThat(fallback.out())
        .contains("AGAINST     trio-a (judged Consistent, so it holds the reference root)")
        .contains("ENTRIES     not compared now: the comparison failed: you may not reach nodes through the API server's"
            + " service proxy (services \"trio-c:http\" is forbidden: User \"rita\" cannot create resource \"services/proxy\"")
        .contains("kubectl auth can-i create services/proxy -n default")
        .containsPattern("OPERATOR    trio-c lacks 1 entry trio-a holds; buckets " + id.substring(0, 4)
            + "  \\(status.divergence, compared \\S+ ago\\)");
    var proxy = new io.fabric8.kubernetes.api.model.rbac.RoleBuilder().withNewMetadata().withName("proxy").withNamespace(NS).endMetadata()
        .addNewRule().withApiGroups("").withResources("services/proxy").withVerbs("create").endRule()
        .build();
    Path proxyConfig = lattice.api().writeKubeconfig(work.resolve("proxy.kubeconfig"), NS,
        lattice.api().bindToken("paul", List.of(reader), List.of(proxy)));
    Run allowed = run(false, proxyConfig, "diff", "trio-c");
    assertThat(allowed.out()).as(allowed.err()).contains("ENTRIES     trio-c lacks 1 entry trio-a holds");
  }

  static final String TRIO = """
      apiVersion: lattice.diotec360.com/v1alpha1
      kind: LatticeNode
      metadata: {name: trio-a}
      spec: {lattice: trio, role: genesis-public, sync: {mode: p2p}}
      ---
      apiVersion: lattice.diotec360.com/v1alpha1
      kind: LatticeNode
      metadata: {name: trio-b}
      spec: {lattice: trio, role: genesis-primary, sync: {mode: p2p}}
      ---
      apiVersion: lattice.diotec360.com/v1alpha1
      kind: LatticeNode
      metadata: {name: trio-c}
      spec:
        lattice: trio
        role: genesis-backup
        sync: {mode: http, httpPollIntervalSeconds: 3600, p2p: {enabled: false}}
      """;

  static JsonNode node(String lattice, String name) throws Exception {
    JsonNode doc = new ObjectMapper().readTree(plugin("status", lattice, "-o", "json").out());
    for (JsonNode n : doc.at("/lattices/0/nodes")) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static Map<String, String> verdicts(String lattice) throws Exception {
    Run run = plugin("status", lattice, "-o", "json");
    Map<String, String> out = new java.util.TreeMap<>();
    if (run.exit() == 0) {
      new ObjectMapper().readTree(run.out()).at("/lattices/0/nodes")
          .forEach(n -> out.put(n.path("name").asText(), n.path("verdict").asText()));
    }
    return out;
  }
}
