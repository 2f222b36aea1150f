package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.metrics.ExportedMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Alerts and dashboard read only metrics the operator exports ({@link ExportedMetrics#NAMES}).
 * That every one of those names is really served is checked on a running operator's scrape in
 * LatticeWatchIT#everyMetricTheAlertsMayUseIsInTheOperatorsScrape.
 */
class AlertMetricsTest {

  /** Series Prometheus makes itself for every target. */
  static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  static Set<String> known() {
    Set<String> names = new TreeSet<>(ExportedMetrics.NAMES);
    ExportedMetrics.HISTOGRAMS.forEach(h -> List.of("_bucket", "_sum", "_count").forEach(s -> names.add(h + s)));
    names.addAll(PROMETHEUS_SERIES);
    return names;
  }

  @Test
  void alertsReadOnlyExportedMetricsAndTellTheOnCallWhatToCheck() {
    PrometheusRule rule =
        HelmChart.ofType(HelmChart.OPERATOR.render(Map.of("prometheusRule.enabled", true)), PrometheusRule.class).get(0);
    List<Rule> alerts = rule.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream()).toList();

    assertThat(alerts).extracting(Rule::getAlert).contains(
        "LatticeMerkleDivergence", "LatticeHttpFallbackTooLong", "LatticeNodeUnreachable", "LatticeNoQuorum");
    assertThat(alerts).allSatisfy(a -> {
      assertThat(PromQlMetricNames.in(a.getExpr().getStrVal())).as(a.getAlert()).isNotEmpty().isSubsetOf(known());
      assertThat(a.getAnnotations()).containsKeys("summary", "description");
      assertThat(a.getAnnotations().get("description")).as(a.getAlert()).contains("Check");
    });
  }

  @Test
  void divergenceAlertWaitsLongerThanTheGracePeriod() {
    PrometheusRule rule = HelmChart.ofType(HelmChart.OPERATOR.render(
        Map.of("prometheusRule.enabled", true, "config.divergenceGraceSeconds", 90)), PrometheusRule.class).get(0);

    Rule divergence = rule.getSpec().getGroups().get(0).getRules().stream()
        .filter(r -> "LatticeMerkleDivergence".equals(r.getAlert())).findFirst().orElseThrow();
    assertThat(divergence.getFor()).isEqualTo("150s");
  }

  @Test
  void dashboardReadsOnlyExportedMetrics() throws Exception {
    ConfigMap dashboard = HelmChart.ofType(
            HelmChart.OPERATOR.render(Map.of("grafanaDashboard.enabled", true)), ConfigMap.class).stream()
        .filter(cm -> cm.getData().containsKey("lattice-dashboard.json")).findFirst().orElseThrow();
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("lattice-dashboard.json"));

    List<String> expressions = new ArrayList<>();
    json.findValues("expr").forEach(e -> expressions.add(e.asText()));
    json.path("templating").path("list").forEach(v -> expressions.add(
        v.path("definition").asText().replaceAll("label_values\\((.*),\\s*\\w+\\)", "$1")));
    Set<String> used = expressions.stream().filter(e -> !e.isBlank())
        .flatMap(e -> PromQlMetricNames.in(e).stream()).collect(Collectors.toCollection(TreeSet::new));

    assertThat(used).isSubsetOf(known())
        .contains(ExportedMetrics.NODE_MERKLE_CONSISTENT, ExportedMetrics.NODE_SYNC_MODE,
            ExportedMetrics.NODE_PEERS, ExportedMetrics.NODE_VERSION, ExportedMetrics.PROBE_DURATION + "_bucket");
  }
}
