package com.diotec360.lattice.embedded.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** SetDefaults_Deployment of apps/v1, and the pod defaults of its template. */
final class DeploymentDefaults {

  private DeploymentDefaults() {}

  static void apply(ObjectNode deployment) {
    if (!deployment.path("spec").isObject()) {
      return;
    }
    ObjectNode spec = (ObjectNode) deployment.get("spec");
    if (!spec.has("replicas")) {
      spec.put("replicas", 1);
    }
    if (!spec.path("strategy").isObject()) {
      spec.putObject("strategy");
    }
    ObjectNode strategy = (ObjectNode) spec.get("strategy");
    PodTemplateDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(strategy.path("type").asText())) {
      if (!strategy.path("rollingUpdate").isObject()) {
        strategy.putObject("rollingUpdate");
      }
      ObjectNode rolling = (ObjectNode) strategy.get("rollingUpdate");
      PodTemplateDefaults.putIfAbsent(rolling, "maxUnavailable", "25%");
      PodTemplateDefaults.putIfAbsent(rolling, "maxSurge", "25%");
    }
    if (!spec.has("revisionHistoryLimit")) {
      spec.put("revisionHistoryLimit", 10);
    }
    if (!spec.has("progressDeadlineSeconds")) {
      spec.put("progressDeadlineSeconds", 600);
    }
    JsonNode podSpec = spec.path("template").path("spec");
    if (podSpec.isObject()) {
      PodTemplateDefaults.apply((ObjectNode) podSpec);
    }
  }
}
