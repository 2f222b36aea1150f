package com.diotec360.lattice.embedded.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Defaulting for the built-in kinds an operator writes, as a real kube-apiserver (v1.36) does on
 * create and on update: compared field by field with the objects in
 * {@code /work/shared/real-api/v1.36/}. Empty lists and maps and null fields vanish, as they do
 * through the server's Go types. Kinds not listed here are stored as sent.
 */
public final class BuiltInDefaults {

  private final ServiceDefaults services = new ServiceDefaults();

  /**
   * Defaults {@code object} in place.
   *
   * @param old the stored object on an update, null on a create
   */
  public void apply(JsonNode object, JsonNode old) {
    if (!object.isObject()) {
      return;
    }
    ObjectNode o = (ObjectNode) object;
    String kind = o.path("kind").asText();
    String apiVersion = o.path("apiVersion").asText();
    switch (apiVersion + "/" + kind) {
      case "apps/v1/Deployment" -> DeploymentDefaults.apply(o);
      case "v1/Service" -> services.apply(o, old);
      case "v1/PersistentVolumeClaim" -> persistentVolumeClaim(o, old);
      case "v1/Secret" -> secret(o);
      case "discovery.k8s.io/v1/EndpointSlice" -> endpointSlice(o);
      case "policy/v1/PodDisruptionBudget" -> {
        if (old == null) { // the disruption controller's; a new budget starts at zero
          o.putObject("status").put("currentHealthy", 0).put("desiredHealthy", 0).put("disruptionsAllowed", 0)
              .put("expectedPods", 0);
        }
      }
      case "v1/Namespace" -> namespace(o, old);
      case "v1/ConfigMap", "v1/Event", "events.k8s.io/v1/Event", "coordination.k8s.io/v1/Lease" -> { }
      default -> {
        return; // unknown to this server: stored as sent
      }
    }
    EmptyValues.drop(o);
    switch (apiVersion + "/" + kind) {
      // Go structs that are never omitted: the real server shows them empty or null
      case "apps/v1/Deployment" -> {
        if (!o.path("status").isObject()) {
          o.putObject("status");
        }
      }
      case "v1/Event" -> {
        for (String time : List.of("eventTime", "firstTimestamp", "lastTimestamp")) {
          if (!o.has(time)) {
            o.putNull(time);
          }
        }
        PodTemplateDefaults.putIfAbsent(o, "reportingComponent", "");
        PodTemplateDefaults.putIfAbsent(o, "reportingInstance", "");
      }
      default -> { }
    }
    if (o.path("spec").isObject() && "Service".equals(kind)) {
      // a Service's selector is a map (a Deployment's is a struct): it vanishes when empty
      JsonNode selector = o.get("spec").get("selector");
      if (selector != null && selector.isObject() && selector.isEmpty()) {
        ((ObjectNode) o.get("spec")).remove("selector");
      }
    }
  }

  /** Each endpoint's conditions (a struct) and each port's name ("" when absent), as the server defaults them. */
  private static void endpointSlice(ObjectNode slice) {
    slice.path("endpoints").forEach(e -> {
      if (e.isObject() && !e.has("conditions")) {
        ((ObjectNode) e).putObject("conditions");
      }
    });
    slice.path("ports").forEach(p -> {
      PodTemplateDefaults.putIfAbsent((ObjectNode) p, "protocol", "TCP");
      PodTemplateDefaults.putIfAbsent((ObjectNode) p, "name", "");
    });
  }

  /** The kubernetes finalizer, the name label, and phase Active for a new namespace. */
  private static void namespace(ObjectNode namespace, JsonNode old) {
    String name = namespace.path("metadata").path("name").asText("");
    if (namespace.path("metadata").isObject() && !name.isEmpty()) {
      ObjectNode metadata = (ObjectNode) namespace.get("metadata");
      ObjectNode labels = metadata.path("labels").isObject() ? (ObjectNode) metadata.get("labels")
          : metadata.putObject("labels");
      labels.put("kubernetes.io/metadata.name", name);
    }
    if (old == null) {
      namespace.putObject("spec").putArray("finalizers").add("kubernetes");
      namespace.putObject("status").put("phase", "Active");
    }
  }

  private static void persistentVolumeClaim(ObjectNode pvc, JsonNode old) {
    if (pvc.path("spec").isObject()) {
      PodTemplateDefaults.putIfAbsent((ObjectNode) pvc.get("spec"), "volumeMode", "Filesystem");
    }
    if (old == null) {
      pvc.putObject("status").put("phase", "Pending");
    }
  }

  /** type Opaque; stringData is write-only: merged into data (base64) and never stored. */
  private static void secret(ObjectNode secret) {
    PodTemplateDefaults.putIfAbsent(secret, "type", "Opaque");
    JsonNode stringData = secret.remove("stringData");
    if (stringData != null && stringData.isObject() && !stringData.isEmpty()) {
      ObjectNode data = secret.path("data").isObject() ? (ObjectNode) secret.get("data") : secret.putObject("data");
      stringData.properties().forEach(e -> data.put(e.getKey(),
          Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    }
  }
}
