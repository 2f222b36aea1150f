package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against the embedded API with validation on (no --validate=false): explain from
 * the served OpenAPI documents, apply of the shipped examples, a typo refused by the server, no
 * version-skew warning. kubectl gets a temporary KUBECONFIG, HOME and --cache-dir. Skipped when
 * kubectl is not on PATH, unless LATTICE_REQUIRE_KUBECTL=1 (then it fails).
 */
class KubectlExplainApplyIT {

  @TempDir Path temp;
  private EmbeddedApiServer api;
  private Kubectl kubectl;

  private record Run(int exit, String output) {}

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    api = TestApi.start();
    kubectl = Kubectl.find(api, temp, "default").orElseThrow();
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void explainTeachesWhatTheCrdSays() throws Exception {
    String output = ok("explain", "latticenode.spec.sync");
    var sync = TestApi.latticeNodeCrd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec").getProperties().get("sync");
    assertThat(output).contains("KIND:       LatticeNode", "VERSION:    v1alpha1", "FIELD: sync <Object>");
    assertThat(oneLine(output)).contains(oneLine(sync.getDescription()));
    sync.getProperties().forEach((name, field) -> {
      String type = "object".equals(field.getType()) ? "Object" : field.getType(); // kubectl's capital
      assertThat(output).contains(name + "\t<" + type + ">");
      assertThat(oneLine(output)).contains(oneLine(field.getDescription()));
    });
    assertThat(sync.getProperties()).containsKey("peerlessTimeoutSeconds");
  }

  @Test
  void explainWorksForBuiltInKinds() throws Exception {
    assertThat(ok("explain", "deployment.spec"))
        .contains("KIND:       Deployment", "VERSION:    v1", "FIELD: spec <DeploymentSpec>",
            "replicas\t<integer>", "template\t<PodTemplateSpec>");
    assertThat(ok("explain", "deployment.spec.template.spec.containers"))
        .contains("imagePullPolicy\t<string>", "ports\t<[]ContainerPort>");
  }

  @Test
  void applyCreatesTheShippedExamplesWithValidationOn() throws Exception {
    Path examples = TestApi.repoRoot().resolve("examples");
    assertThat(ok("apply", "-f", examples.resolve("dual-node.yaml").toString()))
        .contains("latticenode.lattice.diotec360.com/node1-huggingface created")
        .contains("latticenode.lattice.diotec360.com/node2-local created")
        .doesNotContain("Warning");
    assertThat(ok("apply", "-f", examples.resolve("triangle.yaml").toString()))
        .contains("created").doesNotContain("Warning");
    assertThat(ok("get", "latticenodes", "-o", "name")).contains("node1-huggingface", "node2-local");
    // applied again: unchanged, through the same OpenAPI-driven path
    assertThat(ok("apply", "-f", examples.resolve("dual-node.yaml").toString())).contains("unchanged");
  }

  @Test
  void aTypoIsRefusedByTheServerNamingTheField() throws Exception {
    String example = Files.readString(TestApi.repoRoot().resolve("examples/dual-node.yaml"));
    Path typo = temp.resolve("typo.yaml");
    Files.writeString(typo, example.replace("peerlessTimeoutSeconds", "peerlesTimeoutSeconds"));
    Run run = kubectl("apply", "-f", typo.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("Error from server (BadRequest): error when creating \"" + typo
        + "\": LatticeNode in version \"v1alpha1\" cannot be handled as a LatticeNode: strict decoding error:"
        + " unknown field \"spec.sync.peerlesTimeoutSeconds\"");
    assertThat(TestApi.get(api, "/apis/lattice.diotec360.com/v1alpha1/namespaces/default/latticenodes/node1-huggingface")
        .code()).isEqualTo(404);

    Run warned = kubectl("apply", "-f", typo.toString(), "--validate=warn");
    assertThat(warned.exit()).isZero();
    assertThat(warned.output()).contains("Warning: unknown field \"spec.sync.peerlesTimeoutSeconds\"", "created");
  }

  @Test
  void aBuiltInTypoIsRefusedToo() throws Exception {
    Path manifest = temp.resolve("deployment.yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx
                imagePulPolicy: Always
        """);
    Run run = kubectl("apply", "-f", manifest.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict"
        + " decoding error: unknown field \"spec.template.spec.containers[0].imagePulPolicy\"");
  }

  @Test
  void diffAndServerDryRunPreviewAChangeAndChangeNothing() throws Exception {
    Path examples = TestApi.repoRoot().resolve("examples");
    ok("apply", "-f", examples.resolve("dual-node.yaml").toString());
    String example = Files.readString(examples.resolve("dual-node.yaml"));
    Path changed = temp.resolve("changed.yaml");
    Files.writeString(changed, example.replace("peerlessTimeoutSeconds: 60", "peerlessTimeoutSeconds: 90"));
    assertThat(example).contains("peerlessTimeoutSeconds: 60");

    Run diff = kubectl("diff", "-f", changed.toString());
    assertThat(diff.exit()).as("kubectl diff exits 1 when something differs: %s", diff.output()).isEqualTo(1);
    assertThat(diff.output()).contains("-    peerlessTimeoutSeconds: 60", "+    peerlessTimeoutSeconds: 90");
    assertThat(ok("apply", "-f", changed.toString(), "--dry-run=server"))
        .contains("configured (server dry run)");
    assertThat(ok("get", "ln", "node1-huggingface", "-o", "jsonpath={.spec.sync.peerlessTimeoutSeconds}"))
        .isEqualTo("60");
    assertThat(kubectl("diff", "-f", examples.resolve("dual-node.yaml").toString()).exit()).isZero();
  }

  @Test
  void versionShowsNoSkewWarning() throws Exception {
    Run run = kubectl("version");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("Server Version: v1.").doesNotContainIgnoringCase("warning");
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private String ok(String... args) throws Exception {
    Run run = kubectl(args);
    assertThat(run.exit()).as("kubectl %s: %s", String.join(" ", args), run.output()).isZero();
    return run.output();
  }

  private Run kubectl(String... args) {
    Kubectl.Result run = kubectl.run(args);
    return new Run(run.exit(), run.output());
  }
}
