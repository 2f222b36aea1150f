package com.diotec360.lattice.embedded.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Service as the API server stores it: type, session affinity, an allocated cluster IP (a fake
 * one from 10.96.0.0/16 here; none for headless and ExternalName Services), IP families and
 * policy, internal traffic policy, port protocol and target port, node ports for NodePort and
 * LoadBalancer, and {@code status.loadBalancer}. On update, allocated values the new object leaves
 * out are kept from the stored one, as the real server does.
 */
final class ServiceDefaults {

  private final AtomicInteger nextIp = new AtomicInteger(10);
  private final AtomicInteger nextNodePort = new AtomicInteger(30000);

  void apply(ObjectNode service, JsonNode old) {
    if (!service.path("spec").isObject()) {
      service.putObject("spec");
    }
    ObjectNode spec = (ObjectNode) service.get("spec");
    PodTemplateDefaults.putIfAbsent(spec, "type", "ClusterIP");
    String type = spec.get("type").asText();
    PodTemplateDefaults.putIfAbsent(spec, "sessionAffinity", "None");
    spec.path("ports").forEach(p -> port((ObjectNode) p, type));
    if (!"ExternalName".equals(type)) {
      keepAllocated(spec, old == null ? null : old.path("spec"));
      clusterIps(spec);
      PodTemplateDefaults.putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
      if (List.of("NodePort", "LoadBalancer").contains(type)) {
        PodTemplateDefaults.putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
      }
      if ("LoadBalancer".equals(type) && !spec.has("allocateLoadBalancerNodePorts")) {
        spec.put("allocateLoadBalancerNodePorts", true);
      }
    }
    if (old == null || !service.path("status").isObject()) {
      ObjectNode status = service.putObject("status");
      status.putObject("loadBalancer");
    }
  }

  private void port(ObjectNode port, String type) {
    PodTemplateDefaults.putIfAbsent(port, "protocol", "TCP");
    if (!port.has("targetPort") && port.has("port")) {
      port.set("targetPort", port.get("port").deepCopy());
    }
    if (List.of("NodePort", "LoadBalancer").contains(type) && !port.has("nodePort")) {
      port.put("nodePort", nextNodePort.getAndIncrement());
    }
  }

  private static void keepAllocated(ObjectNode spec, JsonNode oldSpec) {
    if (oldSpec == null || "ExternalName".equals(oldSpec.path("type").asText())) {
      return;
    }
    for (String field : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
      if ((!spec.has(field) || spec.get(field).asText("x").isEmpty()) && oldSpec.has(field)) {
        spec.set(field, oldSpec.get(field).deepCopy());
      }
    }
  }

  private void clusterIps(ObjectNode spec) {
    // a headless Service without a selector may serve any family: the server asks for both
    boolean headlessWithoutSelector = "None".equals(spec.path("clusterIP").asText())
        && (!spec.path("selector").isObject() || spec.get("selector").isEmpty());
    PodTemplateDefaults.putIfAbsent(spec, "ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
    boolean dual = !"SingleStack".equals(spec.get("ipFamilyPolicy").asText());
    if (!spec.path("ipFamilies").isArray() || spec.get("ipFamilies").isEmpty()) {
      ArrayNode families = spec.putArray("ipFamilies").add("IPv4");
      if (dual) {
        families.add("IPv6");
      }
    }
    String clusterIp = spec.path("clusterIP").asText("");
    if (clusterIp.isEmpty()) {
      int n = nextIp.getAndIncrement();
      clusterIp = "10.96." + (n / 250) + "." + (n % 250 + 1);
      spec.put("clusterIP", clusterIp);
    }
    if (!spec.path("clusterIPs").isArray() || spec.get("clusterIPs").isEmpty()) {
      ArrayNode ips = spec.putArray("clusterIPs").add(clusterIp);
      if (dual && !"None".equals(clusterIp)) {
        ips.add("fd00:10:96::" + Integer.toHexString(nextIp.get()));
      }
    }
  }
}
