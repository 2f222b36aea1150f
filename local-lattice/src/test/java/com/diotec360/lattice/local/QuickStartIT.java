package com.diotec360.lattice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.diotec360.lattice.embedded.Kubectl;
import com.diotec360.lattice.local.cli.ManifestLoader;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run as it is written: the second-terminal block goes to bash, word for
 * word, against a local lattice started as {@code ./lattice-local} starts it (work dir
 * {@code .local-lattice} in the folder the block runs in, examples/dual-node.yaml applied).
 */
class QuickStartIT {

  private static final Pattern SECOND_TERMINAL =
      Pattern.compile("In a second terminal[^\\n]*\\n```bash\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path home;
  private LocalLattice lattice;

  @AfterEach
  void stop() {
    if (lattice != null) {
      lattice.close();
    }
  }

  @Test
  void theReadmesSecondTerminalBlockRunsAsWritten() throws Exception {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    assertThat(Kubectl.onPath()).as("kubectl on PATH (" + Kubectl.REQUIRE + "=1)").isPresent();
    String block = readmeBlock();
    Path nodeJar = Path.of(System.getProperty("lattice.nodeJar", "../node-image/target/lattice-node.jar"));
    lattice = LocalLattice.start(
        LocalLattice.Settings.anyPorts(home.resolve(".local-lattice"), nodeJar, "default"), message -> {});
    ManifestLoader loader = new ManifestLoader(lattice.client(), "default");
    try (InputStream in = LocalLatticeIT.example("dual-node.yaml")) {
      loader.apply(loader.read(in, "dual-node.yaml"));
    }
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
        assertThat(lattice.client().resources(LatticeNode.class).inNamespace("default").list().getItems())
            .hasSize(2)
            .allSatisfy(n -> {
              assertThat(n.getStatus()).isNotNull();
              assertThat(n.getStatus().getPhase()).isEqualTo("Running");
              assertThat(n.getStatus().getConsistency()).isEqualTo("Consistent");
            }));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Lattice made = lattice.client().resources(Lattice.class).inNamespace("default").withName("diotec360").get();
      assertThat(made).isNotNull();
      assertThat(made.getStatus()).isNotNull();
      assertThat(made.getStatus().getPhase()).isEqualTo("Healthy");
    });

    ProcessBuilder run = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + block)
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("quick-start.out").toFile());
    run.environment().put("HOME", home.toString()); // nothing of the user's ~/.kube is read or written
    run.environment().remove("KUBECONFIG");
    Process bash = run.start();
    boolean done = bash.waitFor(90, TimeUnit.SECONDS);
    String output = Files.readString(home.resolve("quick-start.out"));
    if (!done) {
      bash.destroyForcibly();
    }

    assertThat(done).as("the block finished within 90 s:\n" + output).isTrue();
    assertThat(bash.exitValue()).as("exit code of the block; its output:\n" + output).isZero();
    assertThat(output)
        .as("kubectl shows what it shows on a cluster: the CRDs' printer columns and the Deployment printer")
        .containsPattern("NAME +MEMBERS +AGREEING +QUORUM +ROOT +PHASE +AGE")
        .containsPattern("(?m)^diotec360 +2 +2 +2 +[0-9a-f]{12} +Healthy +")
        .containsPattern("NAME +LATTICE +ROLE +PHASE +SYNC +PEERS +ROOT +CONSISTENT +ROLLOUT +AGE")
        .containsPattern("latticenode.lattice.diotec360.com/node1-huggingface +diotec360 +genesis-public +Running")
        .containsPattern("NAME +READY +UP-TO-DATE +AVAILABLE +AGE");
    assertThat(output)
        .contains("latticenode.lattice.diotec360.com/node1-huggingface")
        .contains("\"merkle_root\"")
        .contains("latticenode.lattice.diotec360.com/node2-local patched")
        .containsPattern("(?m)^lattice_node_up\\{");
    // The entry written on node1 reaches node2: both report one root. node2 restarts meanwhile
    // (the patch turned its P2P off), so a refused connection just means "not yet".
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(root("node1-huggingface")).isEqualTo(root("node2-local")).isNotBlank());
  }

  private String root(String node) throws IOException, InterruptedException {
    String url = Files.readString(home.resolve(".local-lattice/default/" + node + "/url")).trim();
    String body = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url + "/api/lattice/state")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    Matcher m = Pattern.compile("\"merkle_root\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(body);
    return m.find() ? m.group(1) : "";
  }

  private static String readmeBlock() throws IOException {
    Path readme = Path.of(System.getProperty("lattice.home", "..")).resolve("README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    Matcher m = SECOND_TERMINAL.matcher(text);
    assertThat(m.find()).as("README.md has the 'In a second terminal' bash block").isTrue();
    return m.group(1);
  }
}
