package com.diotec360.lattice.embedded.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
      case "discovery.k8s.io/v1/EndpointSlice" ->
          o.path("ports").forEach(p -> PodTemplateDefaults.putIfAbsent((ObjectNode) p, "protocol", "TCP"));
      case "v1/ConfigMap", "v1/Event", "events.k8s.io/v1/Event", "coordination.k8s.io/v1/Lease" -> { }
      default -> {
        return; // unknown to this server: stored as sent
      }
    }
    EmptyValues.drop(o);
    if (o.path("spec").isObject() && "Service".equals(kind)) {
      // a Service's selector is a map (a Deployment's is a struct): it vanishes when empty
      JsonNode selector = o.get("spec").get("selector");
      if (selector != null && selector.isObject() && selector.isEmpty()) {
        ((ObjectNode) o.get("spec")).remove("selector");
      }
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
