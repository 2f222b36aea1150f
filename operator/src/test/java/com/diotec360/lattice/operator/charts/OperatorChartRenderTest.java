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
          "networkPolicy.externalMembers.cidrs[0]", "203.0.113.0/24",
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

  /**
   * The operator probes external members outside the cluster. With the NetworkPolicy on, that
   * egress stays closed by default: a rule to them appears only for the CIDRs and ports given.
   */
  @Test
  void egressToExternalMembersOnlyWhenTheirAddressesAreGiven() {
    NetworkPolicy closed = HelmChart.ofType(
        HelmChart.OPERATOR.render(Map.of("networkPolicy.enabled", true)), NetworkPolicy.class).get(0);
    assertThat(closed.getSpec().getEgress()).as("DNS, the API server, the lattice nodes").hasSize(3);
    assertThat(closed.getSpec().getEgress())
        .as("no rule to an address block by default (the API server's CIDRs are unset too)")
        .allSatisfy(rule -> assertThat(rule.getTo()).allSatisfy(peer -> assertThat(peer.getIpBlock()).isNull()));

    NetworkPolicy open = HelmChart.ofType(HelmChart.OPERATOR.render(Map.of(
        "networkPolicy.enabled", true,
        "networkPolicy.externalMembers.cidrs[0]", "203.0.113.7/32",
        "networkPolicy.externalMembers.cidrs[1]", "198.51.100.0/24",
        "networkPolicy.externalMembers.ports[0]", 443,
        "networkPolicy.externalMembers.ports[1]", 8000)), NetworkPolicy.class).get(0);
    assertThat(open.getSpec().getEgress()).hasSize(4);
    var external = open.getSpec().getEgress().get(3);
    assertThat(external.getTo()).extracting(peer -> peer.getIpBlock().getCidr())
        .containsExactly("203.0.113.7/32", "198.51.100.0/24");
    assertThat(external.getTo()).allSatisfy(peer -> {
      assertThat(peer.getNamespaceSelector()).isNull();
      assertThat(peer.getPodSelector()).isNull();
    });
    assertThat(external.getPorts()).extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
        .containsExactly("443/TCP", "8000/TCP");
    assertThat(open.getSpec().getEgress().subList(0, 3)).as("the other rules unchanged")
        .isEqualTo(closed.getSpec().getEgress());

    NetworkPolicy defaultPort = HelmChart.ofType(HelmChart.OPERATOR.render(Map.of(
        "networkPolicy.enabled", true, "networkPolicy.externalMembers.cidrs[0]", "203.0.113.7/32")),
        NetworkPolicy.class).get(0);
    assertThat(defaultPort.getSpec().getEgress().get(3).getPorts()).extracting(p -> p.getPort().getIntVal())
        .as("https by default").containsExactly(443);
    assertThat(HelmChart.ofType(HelmChart.OPERATOR.render(Map.of("networkPolicy.externalMembers.cidrs[0]", "203.0.113.7/32")),
        NetworkPolicy.class)).as("no policy at all unless networkPolicy.enabled").isEmpty();
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
