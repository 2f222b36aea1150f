package com.diotec360.lattice.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.embedded.Kubectl;
import com.diotec360.lattice.local.LocalLattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private Kubectl kubectl;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    api = EmbeddedApiServer.start(0, Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
    kubectl = Kubectl.find(api, temp, "default").orElseThrow();
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

  private String kubectl(String... args) {
    return kubectl.run(args).ok();
  }
}
