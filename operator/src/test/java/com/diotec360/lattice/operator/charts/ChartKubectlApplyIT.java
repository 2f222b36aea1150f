package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.support.OperatorHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the charts render (real Helm, helm-java) goes into the embedded API through the real
 * kubectl with validation on, as `helm template | kubectl apply -f -` would on a cluster: created,
 * applied again unchanged, deleted with `delete -f`. Monitoring kinds whose CRDs are not installed
 * fail as on a cluster without prometheus-operator.
 */
class ChartKubectlApplyIT {

  @TempDir Path temp;
  private EmbeddedApiServer api;
  private Path kubectl;

  @BeforeEach
  void start() throws IOException {
    kubectl = onPath();
    assumeTrue(kubectl != null, "kubectl is not on PATH: skipping (CI sets LATTICE_REQUIRE_KUBECTL=1)");
    api = OperatorHarness.startApi();
    api.writeKubeconfig(temp.resolve("kubeconfig"), "lattice-system");
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void theOperatorChartAppliesReappliesAndDeletes() throws Exception {
    Path manifest = write("operator.yaml", HelmChart.OPERATOR.template(Map.of()));

    String created = kubectl("apply", "-f", manifest.toString());
    assertThat(created)
        .contains("serviceaccount/test-lattice-operator created")
        .contains("clusterrole.rbac.authorization.k8s.io/test-lattice-operator created")
        .contains("deployment.apps/test-lattice-operator created")
        .doesNotContain("error");
    assertThat(kubectl("apply", "-f", manifest.toString()))
        .as("a second apply of the same output changes nothing kubectl can see")
        .doesNotContain("created")
        .doesNotContain("error");
    assertThat(kubectl("delete", "-f", manifest.toString()))
        .contains("deployment.apps \"test-lattice-operator\" deleted");
    assertThat(api.client().apps().deployments().inNamespace("lattice-system").list().getItems()).isEmpty();
  }

  @Test
  void theLatticeChartsNodesAreValidatedAndCreated() throws Exception {
    Path manifest = write("lattice.yaml", HelmChart.LATTICE.template(Map.of()));

    assertThat(kubectl("apply", "-f", manifest.toString()))
        .containsPattern("latticenode.lattice.diotec360.com/\\S+ created")
        .doesNotContain("error");
  }

  @Test
  void monitoringKindsFailAsOnAClusterWithoutTheirCrds() throws Exception {
    Path manifest = write("monitoring.yaml", HelmChart.OPERATOR.template(
        Map.of("metrics.serviceMonitor.enabled", true, "prometheusRule.enabled", true)));

    assertThat(kubectlFailing("apply", "-f", manifest.toString()))
        .contains("no matches for kind \"ServiceMonitor\"")
        .contains("ensure CRDs are installed first");
  }

  private Path write(String name, String yaml) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private String kubectl(String... args) throws Exception {
    Result r = run(args);
    assertThat(r.exit()).as("kubectl " + String.join(" ", args) + ":\n" + r.output()).isZero();
    return r.output();
  }

  private String kubectlFailing(String... args) throws Exception {
    Result r = run(args);
    assertThat(r.exit()).as("kubectl " + String.join(" ", args) + " should fail:\n" + r.output()).isNotZero();
    return r.output();
  }

  private record Result(int exit, String output) {}

  private Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--cache-dir", temp.resolve("cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", temp.resolve("kubeconfig").toString());
    builder.environment().put("HOME", temp.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(process.exitValue(), output);
  }

  private static Path onPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    if ("1".equals(System.getenv("LATTICE_REQUIRE_KUBECTL"))) {
      throw new AssertionError("kubectl is not on PATH but LATTICE_REQUIRE_KUBECTL=1");
    }
    return null;
  }
}
