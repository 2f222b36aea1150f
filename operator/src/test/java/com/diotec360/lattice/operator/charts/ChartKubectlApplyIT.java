package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.embedded.Kubectl;
import com.diotec360.lattice.operator.support.OperatorHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
  private Kubectl kubectl;

  @BeforeEach
  void start() {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    api = OperatorHarness.startApi();
    kubectl = Kubectl.find(api, temp, "lattice-system").orElseThrow();
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

  private String kubectl(String... args) {
    return kubectl.run(args).ok();
  }

  private String kubectlFailing(String... args) {
    return kubectl.run(args).failed();
  }
}
