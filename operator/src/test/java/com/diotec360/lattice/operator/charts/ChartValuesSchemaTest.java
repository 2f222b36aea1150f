package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong values fail at install (helm template/install) with a message that names the value. */
class ChartValuesSchemaTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "lattice-operator | config.logFormat             | xml        | logFormat",
        "lattice-operator | config.probeIntervalSeconds  | 0          | probeIntervalSeconds",
        "lattice-operator | replicas                     | -1         | replicas",
        "lattice-operator | watchNamespaces[0]           | Team_A     | watchNamespaces/0",
        "lattice-operator | prometheusRule.httpFallback.for | soon    | for",
        "lattice-operator | metricsTypo                  | true       | metricsTypo",
        "lattice-operator | networkPolicy.externalMembers.cidrs[0] | node1.hf.space | cidrs/0",
        "lattice-operator | networkPolicy.externalMembers.ports[0] | 70000   | ports/0",
        "lattice          | defaults.sync.mode           | gossip     | mode",
        "lattice          | lattice                      | My_Lattice | lattice",
      })
  void rejectsBadValuesNamingTheValue(String chart, String key, String value, String named) {
    assertThatThrownBy(() -> new HelmChart(chart).template(Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(named);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "replicas=2,leaderElection.enabled=false | replicas > 1 needs leader election",
        "metrics.serviceMonitor.enabled=true,metrics.service.enabled=false | needs metrics.service.enabled",
      })
  void rejectsContradictoryValuesWithAnExplanation(String sets, String message) {
    Map<String, Object> values = new java.util.HashMap<>();
    for (String set : sets.split(",")) {
      String[] kv = set.split("=", 2);
      values.put(kv[0], kv[1]);
    }
    assertThatThrownBy(() -> HelmChart.OPERATOR.template(values)).hasMessageContaining(message);
  }
}
