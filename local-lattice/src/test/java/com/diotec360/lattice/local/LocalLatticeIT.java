package com.diotec360.lattice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.local.cli.ManifestLoader;
import com.diotec360.lattice.local.cli.StatusTable;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The local lattice end to end: the triangle example with real node processes on loopback. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalLatticeIT {

  private static final String NS = "default";
  /** Node names and lattice of the triangle example, read from it (the repository's or the built-in copy). */
  private static List<String> triangle;
  private static String latticeName;

  @TempDir static Path work;
  private static LocalLattice lattice;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Path nodeJar = Path.of(System.getProperty("lattice.nodeJar", "../node-image/target/lattice-node.jar"));
    lattice = LocalLattice.start(LocalLattice.Settings.anyPorts(work, nodeJar, NS), message -> {});
  }

  @AfterAll
  static void stop() {
    if (lattice != null) {
      lattice.close();
    }
    // Every node process ended with the lattice: no child of this JVM runs a node jar any more.
    assertThat(ProcessHandle.current().descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("lattice-node.jar"))
            .filter(ProcessHandle::isAlive))
        .isEmpty();
  }

  @Test
  @Order(1)
  void triangleConvergesOnWritesToOneNode() throws Exception {
    ManifestLoader loader = new ManifestLoader(lattice.client(), NS);
    try (InputStream in = example("triangle.yaml")) {
      List<LatticeNode> nodes =
          loader.apply(loader.read(in, "triangle.yaml")).stream()
              .filter(o -> "LatticeNode".equals(o.getKind()))
              .map(o -> lattice.client().resources(LatticeNode.class).inNamespace(NS).withName(o.getMetadata().getName()).get())
              .toList();
      triangle = nodes.stream().map(n -> n.getMetadata().getName()).toList();
      latticeName = nodes.get(0).getSpec().getLattice();
    }
    assertThat(triangle).hasSize(3);
    String first = triangle.get(0);
    await("every node Running with a process answering")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> triangle.stream().allMatch(n -> "Running".equals(phase(n))));

    for (int i = 0; i < 5; i++) {
      lattice.write(NS, first, "entry-" + i);
    }

    // Roots and versions are moving values: the operator writes them at most once per its status
    // refresh interval (60 s by default), so a root written while the entries arrived may stand
    // for that long before the final one is written.
    await("all three nodes Consistent with one root holding the 5 entries")
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<StatusTable.Row> rows = rows();
              assertThat(rows).hasSize(3);
              // as the operator judged and reported it in each node's status
              assertThat(rows).allSatisfy(r -> assertThat(r.consistent()).isEqualTo("Consistent"));
              assertThat(rows.stream().map(StatusTable.Row::root).distinct()).singleElement()
                  .isNotEqualTo("-");
              assertThat(rows).allSatisfy(r -> assertThat(r.version()).isEqualTo("5"));
            });

    // kubectl lattice diff's way to a node from outside the cluster: the API's service proxy
    HttpResponse<String> tree = proxy(first + ":http", "/api/lattice/tree", "{\"prefixes\":[\"\"]}");
    assertThat(tree.statusCode()).as(tree.body()).isEqualTo(200);
    JsonNode nodes = new ObjectMapper().readTree(tree.body()).path("nodes");
    assertThat(nodes.isArray()).as(tree.body()).isTrue();
    assertThat(nodes).singleElement().satisfies(n -> assertThat(n.path("prefix").asText()).isEmpty());
    assertThat(proxy(first + ":8000", "/api/lattice/tree", "{\"prefixes\":[\"\"]}").body()).isEqualTo(tree.body());
    HttpResponse<String> p2p = proxy(first + ":p2p", "/api/lattice/tree", "{\"prefixes\":[\"\"]}");
    assertThat(p2p.statusCode()).isEqualTo(503);
    assertThat(p2p.body()).contains("no endpoints available for service \\\"" + first + "\\\"");
  }

  /** A POST through the embedded API's service proxy to {@code service}'s backend. */
  private static HttpResponse<String> proxy(String service, String path, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(lattice.api().url() + "/api/v1/namespaces/" + NS + "/services/" + service
                + "/proxy" + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(2)
  void deletingANodeStopsItsProcessAndRemovesWhatItOwns() throws Exception {
    String gone = triangle.get(2);
    String goneUrl = lattice.runtime().urlOf(NS, gone).orElseThrow();
    assertThat(lattice.runtime().isRunning(NS, gone)).isTrue();
    String uid = lattice.client().resources(LatticeNode.class).inNamespace(NS).withName(gone).get()
        .getMetadata().getUid();
    assertThat(ownedBy(uid)).as("what the node owns before it is deleted").isNotEmpty();

    lattice.client().resources(LatticeNode.class).inNamespace(NS).withName(gone).delete();

    await("the deleted node's process stopped and its objects collected")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(lattice.runtime().isRunning(NS, gone)).isFalse();
              assertThat(ownedBy(uid)).as("objects of every kind the operator makes").isEmpty();
              var c = lattice.client();
              assertThat(c.resources(Deployment.class).inNamespace(NS).withName(gone).get()).isNull();
              assertThat(c.resources(Service.class).inNamespace(NS).withName(gone).get()).isNull();
              assertThat(c.resources(ConfigMap.class).inNamespace(NS).withName(gone + "-config").get()).isNull();
              assertThat(c.resources(ConfigMap.class).inNamespace(NS).withName(gone + "-peer-list").get()).isNull();
              assertThat(c.resources(PersistentVolumeClaim.class).inNamespace(NS).withName(gone + "-state").get()).isNull();
            });
    await("the others stop listing it as a peer")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Files.readString(lattice.runtime().directoryOf(NS, triangle.get(0)).resolve("peers")))
                    .doesNotContain(goneUrl)
                    .contains(lattice.runtime().urlOf(NS, triangle.get(1)).orElseThrow()));
    assertThat(proxy(gone + ":http", "/api/lattice/tree", "{\"prefixes\":[\"\"]}").statusCode())
        .as("its Service is gone").isEqualTo(404);
    // Shared objects outlive a member that is not the last one.
    assertThat(lattice.client().resources(Secret.class).inNamespace(NS).withName(latticeName + "-lattice-secret").get())
        .isNotNull();
  }

  @Test
  @Order(4)
  void deletingTheOtherNodesAndTheLatticeLeavesNothingBehind() {
    var c = lattice.client();
    triangle.forEach(n -> c.resources(LatticeNode.class).inNamespace(NS).withName(n).delete());
    c.resources(Lattice.class).inNamespace(NS).withName(latticeName).delete();

    await("no object of any kind the operator makes is left, the lattice's shared ones included")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(operatorObjects()).isEmpty());
    await("the nodes' processes stop with their Deployments").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(triangle).allSatisfy(n -> assertThat(lattice.runtime().isRunning(NS, n)).isFalse()));
  }

  /** Every kind the operator makes (from its workflows), and its own two. */
  private static List<Class<? extends HasMetadata>> everyKind() {
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>(LatticeOperator.ownedKinds());
    kinds.add(LatticeNode.class);
    kinds.add(Lattice.class);
    return kinds;
  }

  /** "Kind/name" of every object in the namespace of any of {@link #everyKind()} that passes. */
  private static List<String> objects(Predicate<HasMetadata> which) {
    List<String> found = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : everyKind()) {
      lattice.client().resources(kind).inNamespace(NS).list().getItems().stream()
          .filter(which)
          .forEach(o -> found.add(o.getKind() + "/" + o.getMetadata().getName()));
    }
    return found;
  }

  private static List<String> ownedBy(String uid) {
    return objects(o -> o.getMetadata().getOwnerReferences().stream().anyMatch(r -> uid.equals(r.getUid())));
  }

  /** Objects the operator made or that belong to a lattice: owned by something, or labelled for it. */
  private static List<String> operatorObjects() {
    return objects(o -> o instanceof LatticeNode || o instanceof Lattice
        || !o.getMetadata().getOwnerReferences().isEmpty()
        || (o.getMetadata().getLabels() != null && o.getMetadata().getLabels().containsKey(LatticeLabels.LATTICE)));
  }

  @Test
  @Order(3)
  void aBadManifestGetsAClearError() {
    ManifestLoader loader = new ManifestLoader(lattice.client(), NS);
    String bad =
        """
        apiVersion: lattice.diotec360.com/v1alpha1
        kind: LatticeNode
        metadata:
          name: node9
        spec:
          lattis: diotec360
          role: genesis-backup
        ---
        apiVersion: lattice.diotec360.com/v1alpha1
        kind: LatticeNode
        metadata:
          name: node10
        spec:
          lattice: diotec360
        """;
    assertThatThrownBy(() -> loader.read(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)), "bad.yaml"))
        .isInstanceOf(ManifestLoader.BadManifestException.class)
        .hasMessageContaining("LatticeNode/node9: unknown field spec.lattis")
        .hasMessageContaining("LatticeNode/node10: spec.role is required");
    assertThatThrownBy(() -> loader.read(new ByteArrayInputStream("kind: [unclosed".getBytes(StandardCharsets.UTF_8)), "broken.yaml"))
        .isInstanceOf(ManifestLoader.BadManifestException.class)
        .hasMessageContaining("broken.yaml is not a valid Kubernetes manifest");
    assertThatThrownBy(() -> loader.read(work.resolve("missing.yaml")))
        .hasMessageContaining("missing.yaml does not exist");
  }

  /** The repository's example when it exists, else the built-in copy. */
  static InputStream example(String name) throws Exception {
    Path repo = Path.of(System.getProperty("lattice.home", "..")).resolve("examples").resolve(name);
    if (Files.isRegularFile(repo)) {
      return Files.newInputStream(repo);
    }
    return LocalLatticeIT.class.getResourceAsStream("/examples/" + name);
  }

  private static String phase(String node) {
    LatticeNode n = lattice.client().resources(LatticeNode.class).inNamespace(NS).withName(node).get();
    return n == null || n.getStatus() == null ? null : n.getStatus().getPhase();
  }

  private static List<StatusTable.Row> rows() {
    return StatusTable.rows(
        lattice.client().resources(LatticeNode.class).inNamespace(NS).list().getItems(),
        n -> lattice.runtime().urlOf(NS, n.getMetadata().getName()));
  }
}
