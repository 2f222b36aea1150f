package com.diotec360.lattice.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.diotec360.lattice.embedded.Kubectl;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.support.OperatorHarness;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}) and the real kubectl, as cluster-admin:
 * what a user sees of the LatticeNode CRD — the printer columns of {@code kubectl get ln} (a
 * server-side Table), {@code kubectl explain} (the server's OpenAPI), the shipped examples applied
 * with validation on, and typos and CEL rules refused where the command was typed.
 *
 * <p>kubectl gets a temporary KUBECONFIG, HOME and --cache-dir; skipped when kubectl is not on
 * PATH, unless LATTICE_REQUIRE_KUBECTL=1 (then it fails).
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class LatticeNodeKubectlIT {

  /** The CRD's printer columns, as {@code kubectl get ln} heads them. */
  private static final List<String> COLUMNS =
      List.of("NAME", "LATTICE", "ROLE", "PHASE", "SYNC", "PEERS", "ROOT", "CONSISTENT", "ROLLOUT", "AGE");

  @TempDir Path temp;
  private RealApi api;
  private Kubectl kubectl;
  private RealApiOperator operator;

  @BeforeEach
  void start(RealApi api) {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    this.api = api;
    kubectl = Kubectl.find(temp.resolve("kubectl"), file ->
        api.server().writeKubeconfig(file, api.namespace(), api.server().adminCredentials())).orElseThrow();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void theExamplesApplyWithValidationOnAndApplyAgainUnchanged() {
    assertThat(ok("apply", "-f", example("dual-node.yaml")))
        .contains("lattice.lattice.diotec360.com/diotec360 created")
        .contains("latticenode.lattice.diotec360.com/node1-huggingface created")
        .contains("latticenode.lattice.diotec360.com/node2-local created")
        .doesNotContain("Warning");
    assertThat(ok("apply", "-f", example("triangle.yaml"))).contains("created").doesNotContain("Warning");
    assertThat(ok("apply", "-f", example("dual-node.yaml")))
        .contains("latticenode.lattice.diotec360.com/node1-huggingface unchanged")
        .contains("latticenode.lattice.diotec360.com/node2-local unchanged");
    assertThat(ok("get", "ln", "node1-huggingface", "-o", "jsonpath={.spec.role}")).isEqualTo("genesis-public");
  }

  @Test
  void getShowsThePrinterColumnsWithWhatTheOperatorWrote() {
    ok("apply", "-f", example("dual-node.yaml"));
    List<Map<String, String>> before = table(ok("get", "ln"));
    assertThat(before).extracting(row -> row.get("NAME")).containsExactly("node1-huggingface", "node2-local");
    assertThat(before.get(0))
        .as("no status yet: empty cells, as a real cluster prints them")
        .containsEntry("LATTICE", "diotec360").containsEntry("ROLE", "genesis-public")
        .containsEntry("PHASE", "").containsEntry("ROLLOUT", "");

    operator = RealApiOperator.start(api, Map.of());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      // Nothing runs the pods and the nodes' DNS names resolve nowhere: starting, not yet seen.
      assertThat(table(ok("get", "ln"))).allSatisfy(row -> assertThat(row)
          .as("what the operator wrote, in the CRD's columns")
          .containsEntry("PHASE", "Pending")
          .containsEntry("CONSISTENT", "Unobserved")
          .containsEntry("ROLLOUT", "Starting"));
    });
  }

  @Test
  void getLatIsTheOneLineAnswerAndTheManifestsOf010StillApply() {
    assertThat(ok("apply", "-f", repoFile("testdata/release-0.1.0/dual-node.yaml")))
        .as("LatticeNodes alone, as 0.1.0 shipped the example")
        .contains("latticenode.lattice.diotec360.com/node1-huggingface created").doesNotContain("lattice/");
    operator = RealApiOperator.start(api, Map.of());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Map<String, String>> lattices =
          table(ok("get", "lat"), List.of("NAME", "MEMBERS", "AGREEING", "QUORUM", "ROOT", "PHASE", "AGE"));
      // Made by the operator for the nodes; nothing answers here, so no root has a majority yet.
      assertThat(lattices).singleElement().satisfies(row -> assertThat(row)
          .containsEntry("NAME", "diotec360").containsEntry("MEMBERS", "2").containsEntry("AGREEING", "0")
          .containsEntry("QUORUM", "2").containsEntry("PHASE", "NoQuorum"));
    });
    assertThat(ok("explain", "lattice.spec.externalMembers")).contains("KIND:       Lattice", "url\t<string>");
  }

  @Test
  void explainTeachesWhatTheCrdSays() throws Exception {
    String output = ok("explain", "latticenode.spec.sync");
    JSONSchemaProps sync = crdSpecSchema().getProperties().get("sync");
    assertThat(output).contains("KIND:       LatticeNode", "VERSION:    v1alpha1", "FIELD: sync <Object>");
    assertThat(oneLine(output)).contains(oneLine(sync.getDescription()));
    sync.getProperties().forEach((name, field) -> {
      String type = "object".equals(field.getType()) ? "Object" : field.getType(); // kubectl's capital
      assertThat(output).contains(name + "\t<" + type + ">");
      assertThat(oneLine(output)).contains(oneLine(field.getDescription()));
    });
  }

  @Test
  void aTypoIsRefusedByTheServerNamingTheField() throws Exception {
    Path typo = temp.resolve("typo.yaml");
    Files.writeString(typo, Files.readString(Path.of(example("dual-node.yaml")))
        .replace("peerlessTimeoutSeconds", "peerlesTimeoutSeconds"));

    assertThat(failed("apply", "-f", typo.toString()))
        .contains("Error from server (BadRequest): error when creating \"" + typo
            + "\": LatticeNode in version \"v1alpha1\" cannot be handled as a LatticeNode: strict decoding error:"
            + " unknown field \"spec.sync.peerlesTimeoutSeconds\"");
    assertThat(nodes()).isEmpty();
  }

  @Test
  void patchAndDeleteAsAUserDoes() {
    ok("apply", "-f", example("dual-node.yaml"));

    assertThat(ok("patch", "ln", "node2-local", "--type=merge", "-p", "{\"spec\":{\"logLevel\":\"DEBUG\"}}"))
        .contains("patched");
    assertThat(node("node2-local").getSpec().getLogLevel().name()).isEqualTo("DEBUG");
    assertThat(failed("patch", "ln", "node2-local", "--type=merge", "-p", "{\"spec\":{\"lattice\":\"elsewhere\"}}"))
        .contains("spec.lattice: Invalid value: \"elsewhere\": lattice is immutable: delete the node and create it"
            + " again to move it to another lattice");
    assertThat(failed("patch", "ln", "node2-local", "--type=merge", "-p",
            "{\"spec\":{\"sync\":{\"heartbeatIntervalSeconds\":90,\"peerlessTimeoutSeconds\":60}}}"))
        .contains("spec.sync: Invalid value: peerlessTimeoutSeconds must be greater than"
            + " heartbeatIntervalSeconds");
    assertThat(node("node2-local").getSpec().getLattice()).isEqualTo("diotec360");

    assertThat(ok("delete", "ln", "node1-huggingface")).contains("deleted");
    assertThat(ok("get", "ln", "-o", "name")).isEqualTo("latticenode.lattice.diotec360.com/node2-local");
  }

  /**
   * kubectl's table as rows of column → cell, cut where the header's columns start (every column
   * must be one of {@link #COLUMNS}, in that order).
   */
  private static List<Map<String, String>> table(String output) {
    return table(output, COLUMNS);
  }

  /** The rows of a {@code kubectl get} table whose header must be exactly {@code columns}. */
  private static List<Map<String, String>> table(String output, List<String> columns) {
    List<String> lines = output.lines().toList();
    String header = lines.get(0);
    assertThat(header.split("\\s+")).as("kubectl get's columns").containsExactlyElementsOf(columns);
    int[] starts = columns.stream().mapToInt(header::indexOf).toArray();
    return lines.subList(1, lines.size()).stream().map(line -> {
      Map<String, String> row = new java.util.LinkedHashMap<>();
      for (int i = 0; i < starts.length; i++) {
        int from = Math.min(starts[i], line.length());
        int to = i + 1 < starts.length ? Math.min(starts[i + 1], line.length()) : line.length();
        row.put(columns.get(i), line.substring(from, to).strip());
      }
      return row;
    }).toList();
  }

  private String example(String name) {
    return OperatorHarness.repoRoot().resolve("examples").resolve(name).toString();
  }

  private String repoFile(String path) {
    return OperatorHarness.repoRoot().resolve(path).toString();
  }

  private LatticeNode node(String name) {
    return api.client().resources(LatticeNode.class).withName(name).get();
  }

  private List<LatticeNode> nodes() {
    return api.client().resources(LatticeNode.class).list().getItems();
  }

  private JSONSchemaProps crdSpecSchema() {
    return api.client().apiextensions().v1().customResourceDefinitions()
        .withName("latticenodes.lattice.diotec360.com").get()
        .getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private String ok(String... args) {
    return kubectl.run(args).ok();
  }

  private String failed(String... args) {
    return kubectl.run(args).failed();
  }
}
