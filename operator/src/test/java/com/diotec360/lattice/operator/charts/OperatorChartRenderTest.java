package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorChartRenderTest {

  /** Every optional part of the chart switched on. */
  static final Map<String, Object> ALL_TOGGLES_ON =
      Map.of(
          "metrics.serviceMonitor.enabled", true,
          "prometheusRule.enabled", true,
          "grafanaDashboard.enabled", true,
          "networkPolicy.enabled", true,
          "replicas", 2);

  @Test
  void defaultValuesRenderKnownFieldsOnly() {
    List<HasMetadata> objects = HelmChart.OPERATOR.render(Map.of());

    assertThat(objects).extracting(HasMetadata::getKind)
        .contains("Deployment", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service");
    assertKnownFieldsAndLabels(objects);
  }

  @Test
  void everyToggleOnRendersKnownFieldsOnly() {
    List<HasMetadata> objects = HelmChart.OPERATOR.render(ALL_TOGGLES_ON);

    assertThat(HelmChart.ofType(objects, ServiceMonitor.class)).hasSize(1);
    assertThat(HelmChart.ofType(objects, PrometheusRule.class)).hasSize(1);
    assertThat(HelmChart.ofType(objects, NetworkPolicy.class)).hasSize(1);
    assertThat(HelmChart.ofType(objects, ConfigMap.class))
        .anySatisfy(cm -> assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1"));
    assertKnownFieldsAndLabels(objects);
  }

  @Test
  void namespacedModeRendersKnownFieldsOnly() {
    List<HasMetadata> objects =
        HelmChart.OPERATOR.render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("ClusterRoleBinding");
    assertKnownFieldsAndLabels(objects);
  }

  @Test
  void passesItsConfigurationAsEnvironmentVariables() {
    Deployment deployment =
        HelmChart.ofType(
                HelmChart.OPERATOR.render(
                    Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b", "config.logFormat", "text")),
                Deployment.class)
            .get(0);

    var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains(
            "LATTICE_WATCH_NAMESPACES=team-a,team-b",
            "LATTICE_LOG_FORMAT=text",
            "LATTICE_PROBE_INTERVAL_SECONDS=10",
            "LATTICE_UNREACHABLE_AFTER_PROBES=3",
            "LATTICE_DIVERGENCE_GRACE_SECONDS=60",
            "LATTICE_STARTUP_DEADLINE_SECONDS=600",
            "LATTICE_LEADER_ELECTION=false");
  }

  @Test
  void leaderElectionIsOnByDefaultWithMoreThanOneReplica() {
    Deployment deployment =
        HelmChart.ofType(HelmChart.OPERATOR.render(Map.of("replicas", 2)), Deployment.class).get(0);

    var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains(
            "LATTICE_LEADER_ELECTION=true",
            "LATTICE_LEADER_ELECTION_LEASE_NAME=lattice-operator",
            "LATTICE_LEADER_ELECTION_LEASE_NAMESPACE=" + HelmChart.RELEASE_NAMESPACE);
    assertThat(env)
        .filteredOn(e -> e.getName().equals("POD_NAME"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
  }

  static void assertKnownFieldsAndLabels(List<HasMetadata> objects) {
    assertThat(objects).allSatisfy(o -> {
      assertThat(UnknownFields.in(o)).as("unknown fields in %s %s", o.getKind(), o.getMetadata().getName()).isEmpty();
      assertThat(o.getMetadata().getLabels())
          .as("labels of %s %s", o.getKind(), o.getMetadata().getName())
          .containsKeys(
              "app.kubernetes.io/name",
              "app.kubernetes.io/instance",
              "app.kubernetes.io/version",
              "app.kubernetes.io/managed-by",
              "app.kubernetes.io/part-of");
    });
  }
}
