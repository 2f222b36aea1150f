package com.diotec360.lattice.embedded.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The defaults the API server gives a pod spec (SetDefaults_PodSpec, _Container, _Probe,
 * _Volume, ... in k8s.io/kubernetes/pkg/apis/core/v1), as seen in a Deployment's template: the
 * fields of {@code /work/shared/real-api/v1.36/deployments.json} the operator never set.
 */
final class PodTemplateDefaults {

  private PodTemplateDefaults() {}

  static void apply(ObjectNode podSpec) {
    putIfAbsent(podSpec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(podSpec, "restartPolicy", "Always");
    putIfAbsent(podSpec, "schedulerName", "default-scheduler");
    if (!podSpec.has("securityContext")) {
      podSpec.putObject("securityContext");
    }
    if (!podSpec.has("terminationGracePeriodSeconds")) {
      podSpec.put("terminationGracePeriodSeconds", 30);
    }
    for (String list : List.of("initContainers", "containers")) {
      podSpec.path(list).forEach(c -> container((ObjectNode) c));
    }
    podSpec.path("volumes").forEach(v -> volume((ObjectNode) v));
  }

  private static void container(ObjectNode container) {
    putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(container, "terminationMessagePolicy", "File");
    if (!container.has("imagePullPolicy")) {
      container.put("imagePullPolicy", pullPolicy(container.path("image").asText("")));
    }
    if (!container.has("resources") || container.get("resources").isNull()) {
      container.putObject("resources");
    }
    container.path("ports").forEach(p -> putIfAbsent((ObjectNode) p, "protocol", "TCP"));
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      if (container.path(probe).isObject()) {
        probe((ObjectNode) container.get(probe));
      }
    }
    container.path("env").forEach(env -> {
      JsonNode fieldRef = env.path("valueFrom").path("fieldRef");
      if (fieldRef.isObject()) {
        putIfAbsent((ObjectNode) fieldRef, "apiVersion", "v1");
      }
    });
  }

  /** Always for ":latest" or no tag, IfNotPresent otherwise (a digest counts as a tag). */
  static String pullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    String lastPart = image.substring(image.lastIndexOf('/') + 1);
    int colon = lastPart.lastIndexOf(':');
    if (colon < 0 || lastPart.substring(colon + 1).equals("latest")) {
      return "Always";
    }
    return "IfNotPresent";
  }

  private static void probe(ObjectNode probe) {
    if (!probe.has("timeoutSeconds")) {
      probe.put("timeoutSeconds", 1);
    }
    if (!probe.has("periodSeconds")) {
      probe.put("periodSeconds", 10);
    }
    if (!probe.has("successThreshold")) {
      probe.put("successThreshold", 1);
    }
    if (!probe.has("failureThreshold")) {
      probe.put("failureThreshold", 3);
    }
    if (probe.path("httpGet").isObject()) {
      putIfAbsent((ObjectNode) probe.get("httpGet"), "scheme", "HTTP");
    }
  }

  private static void volume(ObjectNode volume) {
    for (String source : List.of("configMap", "secret", "downwardAPI", "projected")) {
      if (volume.path(source).isObject() && !volume.get(source).has("defaultMode")) {
        ((ObjectNode) volume.get(source)).put("defaultMode", 420);
      }
    }
  }

  static void putIfAbsent(ObjectNode object, String field, String value) {
    if (!object.has(field) || object.get(field).isNull()) {
      object.put(field, value);
    }
  }
}
