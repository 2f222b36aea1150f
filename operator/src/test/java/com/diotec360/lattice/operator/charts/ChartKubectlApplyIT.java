package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.diotec360.lattice.embedded.Kubectl;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}) and the real kubectl, as cluster-admin:
 * the server validates every object the charts render (Deployment, RBAC, NetworkPolicy, the
 * LatticeNodes against the CRD) as a cluster would.
 *
 * <p>What the charts render (real Helm, helm-java) goes in through kubectl with validation on, as
 * `helm template | kubectl apply -f -` would on a cluster: created, applied again unchanged,
 * deleted with `delete -f`. Monitoring kinds whose CRDs are not installed fail as on a cluster
 * without prometheus-operator. Each test installs its own release into its own namespace: the
 * release name keeps its cluster-scoped objects apart from the chart's grants other tests run
 * the operator with ({@code RealApiOperator}).
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class ChartKubectlApplyIT {

  @TempDir Path temp;
  private RealApi api;
  private Kubectl kubectl;

  @BeforeEach
  void start(RealApi api) {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    this.api = api;
    kubectl = Kubectl.find(temp.resolve("kubectl"), file ->
        api.server().writeKubeconfig(file, api.namespace(), api.server().adminCredentials())).orElseThrow();
  }

  @Test
  void theOperatorChartAppliesReappliesAndDeletes() throws Exception {
    Path manifest = write("operator.yaml", HelmChart.OPERATOR.template("apply", api.namespace(), Map.of()));

    String created = kubectl("apply", "-f", manifest.toString());
    assertThat(created)
        .contains("serviceaccount/apply-lattice-operator created")
        .contains("clusterrole.rbac.authorization.k8s.io/apply-lattice-operator created")
        .contains("deployment.apps/apply-lattice-operator created")
        .doesNotContain("error");
    assertThat(kubectl("apply", "-f", manifest.toString()))
        .as("a second apply of the same output changes nothing kubectl can see")
        .doesNotContain("created")
        .doesNotContain("error");
    assertThat(kubectl("delete", "-f", manifest.toString()))
        .contains("deployment.apps \"apply-lattice-operator\" deleted")
        .contains("clusterrole.rbac.authorization.k8s.io \"apply-lattice-operator\" deleted");
    assertThat(api.client().apps().deployments().list().getItems()).isEmpty();
    assertThat(api.client().rbac().clusterRoles().withName("apply-lattice-operator").get()).isNull();
  }

  @Test
  void theLatticeChartsNodesAreValidatedAndCreated() throws Exception {
    Path manifest = write("lattice.yaml", HelmChart.LATTICE.template("nodes", api.namespace(), Map.of()));

    assertThat(kubectl("apply", "-f", manifest.toString()))
        .containsPattern("latticenode.lattice.diotec360.com/\\S+ created")
        .doesNotContain("error");
  }

  /** The egress rule to external members is one a real server accepts and keeps as rendered. */
  @Test
  void theNetworkPolicyWithEgressToExternalMembersIsAccepted() throws Exception {
    Path manifest = write("policy.yaml", HelmChart.OPERATOR.template("policy", api.namespace(), Map.of(
        "networkPolicy.enabled", true,
        "networkPolicy.externalMembers.cidrs[0]", "203.0.113.7/32",
        "networkPolicy.externalMembers.ports[0]", 8000)));

    assertThat(kubectl("apply", "-f", manifest.toString()))
        .contains("networkpolicy.networking.k8s.io/policy-lattice-operator created")
        .doesNotContain("error");
    var egress = api.client().network().v1().networkPolicies().inNamespace(api.namespace())
        .withName("policy-lattice-operator").get().getSpec().getEgress();
    assertThat(egress).hasSize(4);
    assertThat(egress.get(3).getTo()).extracting(peer -> peer.getIpBlock().getCidr()).containsExactly("203.0.113.7/32");
    assertThat(egress.get(3).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8000);
    kubectl("delete", "-f", manifest.toString());
  }

  @Test
  void monitoringKindsFailAsOnAClusterWithoutTheirCrds() throws Exception {
    Path manifest = write("monitoring.yaml", HelmChart.OPERATOR.template("monitoring", api.namespace(),
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
