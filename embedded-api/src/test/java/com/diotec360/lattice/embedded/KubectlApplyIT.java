package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl's apply (client-side and server-side), patch and delete -f against the
 * embedded API, with the manifests of examples/ and the charts' rendered output
 * (src/test/resources/apply): the stored objects must change exactly as on a cluster. kubectl gets
 * a temporary KUBECONFIG, HOME and --cache-dir, and validates (the server serves /openapi/v3,
 * from which kubectl also takes the strategic merge patch metadata of built-in kinds). Skipped when kubectl is not on PATH, unless
 * LATTICE_REQUIRE_KUBECTL=1.
 */
class KubectlApplyIT {

  private static final String NS = "test";

  @TempDir Path temp;
  private EmbeddedApiServer api;
  private Kubectl kubectl;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    api = TestApi.start();
    kubectl = Kubectl.find(api, temp, NS).orElseThrow();
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  // ---- client-side apply -------------------------------------------------------------------------

  @Test
  void applyTheOperatorChartThenAChangedOneAndTheObjectsChangeAsOnACluster() throws Exception {
    Path chart = resource("lattice-operator.yaml");

    assertThat(ok(apply(chart))).isEqualTo("""
        serviceaccount/lattice-operator created
        configmap/lattice-operator-dashboard created
        clusterrole.rbac.authorization.k8s.io/lattice-operator created
        clusterrole.rbac.authorization.k8s.io/lattice-operator-view created
        clusterrolebinding.rbac.authorization.k8s.io/lattice-operator created
        role.rbac.authorization.k8s.io/lattice-operator-leader-election created
        rolebinding.rbac.authorization.k8s.io/lattice-operator-leader-election created
        service/lattice-operator-metrics created
        networkpolicy.networking.k8s.io/lattice-operator created
        deployment.apps/lattice-operator created""");
    // the server's defaults are not in the last applied configuration: nothing to patch, except that
    // kubectl sends {"spec":{"strategy":{"$retainKeys":["type"]}}} for the defaulted rollingUpdate
    // (diffMaps' hasAdditionalNewField), as against a cluster; the server defaults it back
    assertThat(ok(apply(chart))).isEqualTo("""
        serviceaccount/lattice-operator unchanged
        configmap/lattice-operator-dashboard unchanged
        clusterrole.rbac.authorization.k8s.io/lattice-operator unchanged
        clusterrole.rbac.authorization.k8s.io/lattice-operator-view unchanged
        clusterrolebinding.rbac.authorization.k8s.io/lattice-operator unchanged
        role.rbac.authorization.k8s.io/lattice-operator-leader-election unchanged
        rolebinding.rbac.authorization.k8s.io/lattice-operator-leader-election unchanged
        service/lattice-operator-metrics unchanged
        networkpolicy.networking.k8s.io/lattice-operator unchanged
        deployment.apps/lattice-operator configured""");
    assertThat(api.client().apps().deployments().inNamespace(NS).withName("lattice-operator").get().getSpec()
        .getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");

    // changes made on the server after the apply, which the next apply must keep
    assertThat(ok(kubectl("set", "env", "deployment/lattice-operator", "EXTRA=1")))
        .isEqualTo("deployment.apps/lattice-operator env updated");
    assertThat(ok(kubectl("patch", "deployment", "lattice-operator", "-p", "{\"metadata\":{\"annotations\":{\"extra\":\"kept\"}}}")))
        .isEqualTo("deployment.apps/lattice-operator patched");

    Path changed = edit(chart, "lattice-operator-changed.yaml", Map.of(
        "\"diotec360/lattice-operator:0.1.0\"", "\"diotec360/lattice-operator:0.2.0\"",
        "            - name: LATTICE_LOG_FORMAT\n              value: \"json\"\n", "",
        "    type: RollingUpdate\n", "    type: Recreate\n",
        "      port: 8080\n      targetPort: http\n", "      port: 9090\n      targetPort: http\n",
        "  notes.txt: \"shortened\"\n", "",
        "  - apiGroups: [\"\"]\n    resources: [\"events\"]\n    verbs: [\"get\", \"create\", \"update\"]\n", "",
        "        - port: 53\n          protocol: UDP\n", ""));

    assertThat(ok(apply(changed))).isEqualTo("""
        serviceaccount/lattice-operator unchanged
        configmap/lattice-operator-dashboard configured
        clusterrole.rbac.authorization.k8s.io/lattice-operator configured
        clusterrole.rbac.authorization.k8s.io/lattice-operator-view unchanged
        clusterrolebinding.rbac.authorization.k8s.io/lattice-operator unchanged
        role.rbac.authorization.k8s.io/lattice-operator-leader-election unchanged
        rolebinding.rbac.authorization.k8s.io/lattice-operator-leader-election unchanged
        service/lattice-operator-metrics configured
        networkpolicy.networking.k8s.io/lattice-operator configured
        deployment.apps/lattice-operator configured""");

    Deployment deployment = api.client().apps().deployments().inNamespace(NS).withName("lattice-operator").get();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("diotec360/lattice-operator:0.2.0");
    // LATTICE_LOG_FORMAT removed (it was applied and is no longer), EXTRA kept (never applied), order kept
    assertThat(container.getEnv()).extracting(EnvVar::getName)
        .containsExactly("POD_NAME", "LATTICE_HTTP_PORT", "LATTICE_LOG_LEVEL", "LATTICE_LEADER_ELECTION", "EXTRA");
    assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(container.getPorts()).hasSize(1);
    // $retainKeys: the defaulted rollingUpdate goes with the RollingUpdate type
    assertThat(deployment.getSpec().getStrategy()).isEqualTo(new DeploymentStrategy(null, "Recreate"));
    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("extra", "kept");
    JsonNode lastApplied = TestApi.JSON.readTree(
        deployment.getMetadata().getAnnotations().get("kubectl.kubernetes.io/last-applied-configuration"));
    assertThat(lastApplied.at("/spec/template/spec/containers/0/image").asText()).endsWith(":0.2.0");
    assertThat(lastApplied.at("/spec/template/spec/containers/0/env").toString()).doesNotContain("LATTICE_LOG_FORMAT");

    Service service = api.client().services().inNamespace(NS).withName("lattice-operator-metrics").get();
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(9090);
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
    });
    assertThat(api.client().configMaps().inNamespace(NS).withName("lattice-operator-dashboard").get().getData())
        .containsOnlyKeys("lattice-dashboard.json");
    assertThat(api.client().rbac().clusterRoles().withName("lattice-operator").get().getRules()).hasSize(2);
    assertThat(api.client().network().v1().networkPolicies().inNamespace(NS).withName("lattice-operator").get()
        .getSpec().getEgress().get(0).getPorts())
        .singleElement().satisfies(p -> assertThat(p.getProtocol()).isEqualTo("TCP"));
  }

  @Test
  void applyTheExamplesAndTheLatticeChartThenAChangedNode() throws Exception {
    Path dualNode = example("dual-node.yaml");

    assertThat(ok(apply(dualNode))).isEqualTo("""
        lattice.lattice.diotec360.com/diotec360 created
        latticenode.lattice.diotec360.com/node1-huggingface created
        latticenode.lattice.diotec360.com/node2-local created""");
    // another namespace: the lattice chart's nodes have the same names in another lattice
    assertThat(ok(apply(example("triangle.yaml"), "-n", "other")))
        .contains("latticenode.lattice.diotec360.com/genesis-backup created");
    assertThat(ok(apply(resource("lattice.yaml")))).isEqualTo("""
        networkpolicy.networking.k8s.io/diotec360-lattice created
        latticenode.lattice.diotec360.com/genesis-public created
        latticenode.lattice.diotec360.com/genesis-primary created""");

    Path changed = edit(dualNode, "dual-node-changed.yaml", Map.of(
        """
          dns:
            aliases:
              - name: api               # api.<namespace>.svc -> the hosted space (CNAME-style)
                type: CNAME
                target: diotec360-node1.hf.space
                ttlSeconds: 60
        """, "",
        "  logLevel: INFO\n  sync:\n    mode: auto\n    heartbeatIntervalSeconds: 5\n    peerlessTimeoutSeconds: 60\n"
            + "    httpPollIntervalSeconds: 10\n  dns:",
        "  logLevel: DEBUG\n  sync:\n    mode: auto\n    heartbeatIntervalSeconds: 5\n    peerlessTimeoutSeconds: 60\n"
            + "    httpPollIntervalSeconds: 10\n  dns:"));

    assertThat(ok(apply(changed))).isEqualTo("""
        lattice.lattice.diotec360.com/diotec360 unchanged
        latticenode.lattice.diotec360.com/node1-huggingface configured
        latticenode.lattice.diotec360.com/node2-local configured""");
    assertThat(node("node1-huggingface").at("/spec/dns").isMissingNode()).isTrue();
    assertThat(node("node1-huggingface").at("/spec/sync/p2p/port").asInt()).isEqualTo(9000);
    assertThat(node("node2-local").at("/spec/logLevel").asText()).isEqualTo("DEBUG");
    assertThat(node("node2-local").at("/spec/dns/aliases/0/addresses/0").asText()).isEqualTo("203.0.113.10");
    assertThat(ok(apply(changed))).doesNotContain("configured");
  }

  @Test
  void theMonitoringKindsFailAsOnAClusterWithoutTheirCrds() throws Exception {
    Result result = apply(resource("monitoring.yaml"));

    assertThat(result.code()).isNotZero();
    assertThat(result.output())
        .contains("no matches for kind \"ServiceMonitor\" in version \"monitoring.coreos.com/v1\"")
        .contains("no matches for kind \"PrometheusRule\" in version \"monitoring.coreos.com/v1\"")
        .contains("ensure CRDs are installed first");
  }

  @Test
  void aStrategicMergePatchOfALatticeNodeIsRefusedAsOnACluster() throws Exception {
    ok(apply(example("triangle.yaml")));

    Result result = kubectl("patch", "ln", "genesis-public", "-p", "{\"spec\":{\"logLevel\":\"DEBUG\"}}");

    assertThat(result.code()).isNotZero();
    assertThat(result.output()).isEqualTo("error: application/strategic-merge-patch+json is not supported by"
        + " lattice.diotec360.com/v1alpha1, Kind=LatticeNode: the body of the request was in an unknown format -"
        + " accepted media types include: application/json-patch+json, application/merge-patch+json,"
        + " application/apply-patch+yaml");
    assertThat(ok(kubectl("patch", "ln", "genesis-public", "--type=merge", "-p", "{\"spec\":{\"logLevel\":\"DEBUG\"}}")))
        .isEqualTo("latticenode.lattice.diotec360.com/genesis-public patched");
  }

  // ---- server-side apply -------------------------------------------------------------------------

  @Test
  void serverSideApplyOfLatticeNodesCreatesUpdatesRemovesAndReportsConflicts() throws Exception {
    Path dualNode = example("dual-node.yaml");

    assertThat(ok(apply(dualNode, "--server-side"))).isEqualTo("""
        lattice.lattice.diotec360.com/diotec360 serverside-applied
        latticenode.lattice.diotec360.com/node1-huggingface serverside-applied
        latticenode.lattice.diotec360.com/node2-local serverside-applied""");
    JsonNode managed = node("node1-huggingface").at("/metadata/managedFields");
    assertThat(managed).hasSize(1);
    assertThat(managed.get(0).path("manager").asText()).isEqualTo("kubectl");
    assertThat(managed.get(0).path("operation").asText()).isEqualTo("Apply");
    assertThat(managed.get(0).at("/fieldsV1/f:spec/f:dns/f:aliases").isObject()).isTrue();
    assertThat(ok(kubectl("get", "ln", "node1-huggingface", "-o", "yaml", "--show-managed-fields")))
        .contains("manager: kubectl").contains("operation: Apply").contains("fieldsType: FieldsV1");

    Path changed = edit(dualNode, "dual-node-changed.yaml", Map.of(
        """
          dns:
            aliases:
              - name: api               # api.<namespace>.svc -> the hosted space (CNAME-style)
                type: CNAME
                target: diotec360-node1.hf.space
                ttlSeconds: 60
        """, ""));
    assertThat(ok(apply(changed, "--server-side"))).contains("node1-huggingface serverside-applied");
    // the aliases kubectl applied are gone; dns.ttlSeconds, the schema's default, is nobody's and stays
    assertThat(node("node1-huggingface").at("/spec/dns").toString()).isEqualTo("{\"ttlSeconds\":60}");
    assertThat(node("node1-huggingface").at("/metadata/managedFields/0/fieldsV1/f:spec/f:dns").isMissingNode()).isTrue();

    Path other = temp.resolve("node2-error.yaml");
    Files.writeString(other, """
        apiVersion: lattice.diotec360.com/v1alpha1
        kind: LatticeNode
        metadata:
          name: node2-local
        spec:
          logLevel: ERROR
        """);
    Result conflict = apply(other, "--server-side", "--field-manager=other");
    assertThat(conflict.code()).isNotZero();
    assertThat(conflict.output()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.logLevel");
    assertThat(node("node2-local").at("/spec/logLevel").asText()).isEqualTo("INFO");

    assertThat(ok(apply(other, "--server-side", "--field-manager=other", "--force-conflicts")))
        .isEqualTo("latticenode.lattice.diotec360.com/node2-local serverside-applied");
    assertThat(node("node2-local").at("/spec/logLevel").asText()).isEqualTo("ERROR");
    assertThat(node("node2-local").at("/spec/role").asText()).isEqualTo("genesis-primary");
  }

  @Test
  void serverSideApplyOfTheOperatorChart() throws Exception {
    Path chart = resource("lattice-operator.yaml");

    assertThat(ok(apply(chart, "--server-side")).lines()).hasSize(10).allMatch(l -> l.endsWith(" serverside-applied"));
    Path changed = edit(chart, "lattice-operator-changed.yaml", Map.of(
        "            - name: LATTICE_LOG_FORMAT\n              value: \"json\"\n", "",
        "  notes.txt: \"shortened\"\n", ""));
    assertThat(ok(apply(changed, "--server-side")).lines()).hasSize(10).allMatch(l -> l.endsWith(" serverside-applied"));

    Deployment deployment = api.client().apps().deployments().inNamespace(NS).withName("lattice-operator").get();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName).doesNotContain("LATTICE_LOG_FORMAT").contains("LATTICE_LOG_LEVEL");
    assertThat(api.client().configMaps().inNamespace(NS).withName("lattice-operator-dashboard").get().getData())
        .containsOnlyKeys("lattice-dashboard.json");
  }

  // ---- delete -f ---------------------------------------------------------------------------------

  @Test
  void deleteTheSameManifests() throws Exception {
    Path chart = resource("lattice-operator.yaml");
    Path lattice = resource("lattice.yaml");
    ok(apply(chart));
    ok(apply(lattice));

    assertThat(ok(kubectl("delete", "-f", lattice.toString()))).isEqualTo("""
        networkpolicy.networking.k8s.io "diotec360-lattice" deleted
        latticenode.lattice.diotec360.com "genesis-public" deleted
        latticenode.lattice.diotec360.com "genesis-primary" deleted""");
    assertThat(ok(kubectl("delete", "-f", chart.toString())).lines()).hasSize(10).allMatch(l -> l.endsWith(" deleted"));

    assertThat(api.client().apps().deployments().inNamespace(NS).withName("lattice-operator").get()).isNull();
    assertThat(api.client().rbac().clusterRoles().withName("lattice-operator-view").get()).isNull();
    assertThat(api.client().genericKubernetesResources(TestApi.LATTICE_NODES).inNamespace(NS).list().getItems())
        .extracting(GenericKubernetesResource::getMetadata).isEmpty();
    assertThat(kubectl("get", "-f", chart.toString()).output()).contains("NotFound");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private record Result(int code, String output) {}

  private static String ok(Result result) {
    assertThat(result.code()).as("kubectl failed: %s", result.output()).isZero();
    return result.output();
  }

  private Result apply(Path manifest, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("apply", "-f", manifest.toString()));
    args.addAll(Arrays.asList(flags));
    return kubectl(args.toArray(String[]::new));
  }

  private JsonNode node(String name) {
    return TestApi.get(api, "/apis/lattice.diotec360.com/v1alpha1/namespaces/" + NS + "/latticenodes/" + name).json();
  }

  private Path resource(String name) throws IOException {
    Path file = temp.resolve(name);
    try (InputStream in = KubectlApplyIT.class.getResourceAsStream("/apply/" + name)) {
      assertThat(in).as("test resource /apply/%s", name).isNotNull();
      Files.copy(in, file);
    }
    return file;
  }

  private Path example(String name) throws IOException {
    Path file = temp.resolve(name);
    Files.copy(TestApi.repoRoot().resolve("examples").resolve(name), file);
    return file;
  }

  /** A copy of {@code manifest} with each key replaced by its value (each must occur). */
  private Path edit(Path manifest, String name, Map<String, String> replacements) throws IOException {
    String text = Files.readString(manifest);
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      assertThat(text).as("the manifest to edit").contains(r.getKey());
      text = text.replace(r.getKey(), r.getValue());
    }
    Path file = temp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private Result kubectl(String... args) {
    Kubectl.Result run = kubectl.run(args);
    return new Result(run.exit(), run.output());
  }
}
