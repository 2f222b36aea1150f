package com.diotec360.lattice.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.LocalLattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
 * Drives the embedded API with the real kubectl, when one is on PATH. kubectl gets a temporary
 * KUBECONFIG, HOME and --cache-dir, so the user's ~/.kube is never read or written.
 */
class KubectlIT {

  @TempDir Path temp;
  private EmbeddedApiServer api;
  private Path kubectl;

  @BeforeEach
  void start() throws IOException {
    Optional<Path> found = onPath("kubectl");
    if (found.isEmpty() && "1".equals(System.getenv("LATTICE_REQUIRE_KUBECTL"))) {
      throw new AssertionError("kubectl is not on PATH but LATTICE_REQUIRE_KUBECTL=1");
    }
    assumeTrue(found.isPresent(), "kubectl is not on PATH: skipping the kubectl test");
    kubectl = found.get();
    api = EmbeddedApiServer.start(0, Crds.fromClasspath(LocalLattice.CRD_RESOURCE));
    api.writeKubeconfig(temp.resolve("kubeconfig"), "default");
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void applyGetPatchDeleteALatticeNode() throws Exception {
    Path manifest = temp.resolve("dual-node.yaml");
    try (InputStream in = KubectlIT.class.getResourceAsStream("/examples/dual-node.yaml")) {
      Files.copy(in, manifest);
    }

    assertThat(kubectl("apply", "-f", manifest.toString()))
        .contains("latticenode.lattice.diotec360.com/node1-huggingface created")
        .contains("latticenode.lattice.diotec360.com/node2-local created");
    assertThat(kubectl("get", "ln", "node1-huggingface", "-o", "jsonpath={.spec.role}"))
        .isEqualTo("genesis-public");
    assertThat(kubectl("get", "latticenodes")).contains("node1-huggingface").contains("node2-local");
    assertThat(kubectl("patch", "ln", "node2-local", "--type=merge", "-p", "{\"spec\":{\"logLevel\":\"DEBUG\"}}"))
        .contains("patched");
    assertThat(api.client().resources(LatticeNode.class).inNamespace("default").withName("node2-local").get()
            .getSpec().getLogLevel().name())
        .isEqualTo("DEBUG");
    assertThat(kubectl("delete", "ln", "node1-huggingface")).contains("deleted");
    assertThat(api.client().resources(LatticeNode.class).inNamespace("default").withName("node1-huggingface").get())
        .isNull();
    assertThat(kubectl("get", "ln", "-o", "name")).isEqualTo("latticenode.lattice.diotec360.com/node2-local");
  }

  private String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--cache-dir", temp.resolve("cache").toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", temp.resolve("kubeconfig").toString());
    builder.environment().put("HOME", temp.toString());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl %s finished", args[0]).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
    return output;
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(File.pathSeparator))
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
