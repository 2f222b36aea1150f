package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
  private Path kubectl;

  private record Run(int exit, String output) {}

  @BeforeEach
  void start() throws Exception {
    Optional<Path> found = onPath("kubectl");
    if (found.isEmpty() && "1".equals(System.getenv("LATTICE_REQUIRE_KUBECTL"))) {
      fail("kubectl is not on PATH, and LATTICE_REQUIRE_KUBECTL=1 requires it");
    }
    assumeTrue(found.isPresent(), "kubectl is not on PATH: skipping the kubectl explain/apply tests"
        + " (set LATTICE_REQUIRE_KUBECTL=1 to make this a failure)");
    kubectl = found.get();
    api = TestApi.start();
    api.writeKubeconfig(temp.resolve("kubeconfig"), "default");
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
  void explainWorksForBuiltInKindsAndOverOpenApiV2() throws Exception {
    assertThat(ok("explain", "deployment.spec"))
        .contains("KIND:       Deployment", "VERSION:    v1", "FIELD: spec <DeploymentSpec>",
            "replicas\t<integer>", "template\t<PodTemplateSpec>");
    assertThat(ok("explain", "deployment.spec.template.spec.containers"))
        .contains("imagePullPolicy\t<string>", "ports\t<[]ContainerPort>");
    assertThat(ok("explain", "latticenode.spec.sync", "--output", "plaintext-openapiv2"))
        .contains("KIND:     LatticeNode", "RESOURCE: sync <Object>", "peerlessTimeoutSeconds\t<integer>");
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

  private Run kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--cache-dir", temp.resolve("cache").toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", temp.resolve("kubeconfig").toString());
    builder.environment().put("HOME", temp.toString());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl %s finished", args[0]).isTrue();
    return new Run(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(File.pathSeparator))
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
