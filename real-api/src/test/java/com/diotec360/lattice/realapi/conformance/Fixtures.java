package com.diotec360.lattice.realapi.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Paths and bodies the behaviours share: LatticeNodes, built-in kinds, and stripping what differs by nature. */
final class Fixtures {

  static final String GROUP = "lattice.diotec360.com";
  static final String NODES = "/apis/" + GROUP + "/v1alpha1/namespaces/%s/latticenodes";
  static final String LATTICES = "/apis/" + GROUP + "/v1alpha1/namespaces/%s/lattices";

  private Fixtures() {}

  static String nodes(Target t) {
    return NODES.formatted(t.ns());
  }

  static String node(Target t, String name) {
    return nodes(t) + "/" + name;
  }

  static String lattices(Target t) {
    return LATTICES.formatted(t.ns());
  }

  static String core(Target t, String plural) {
    return "/api/v1/namespaces/" + t.ns() + "/" + plural;
  }

  static String apps(Target t, String plural) {
    return "/apis/apps/v1/namespaces/" + t.ns() + "/" + plural;
  }

  /** A valid LatticeNode; {@code spec} is the JSON of spec fields beyond lattice and role (may be ""). */
  static String nodeBody(String name, String spec) {
    return """
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
         "metadata":{"name":"%s"},
         "spec":{"lattice":"conformance","role":"genesis-primary"%s}}"""
        .formatted(name, spec.isEmpty() ? "" : "," + spec);
  }

  /** Creates a valid LatticeNode and returns what the server stored. */
  static JsonNode createNode(Target t, String name, String spec) {
    Target.Answer created = t.post(nodes(t), nodeBody(name, spec));
    if (created.code() != 201) {
      throw new IllegalStateException(t.name() + " did not create " + name + ": " + created.body());
    }
    return created.json();
  }

  static String configMap(String name, String data) {
    return """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s"},"data":%s}""".formatted(name, data);
  }

  static String deployment(String name, String containers) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","labels":{"app":"%s"}},
         "spec":{"selector":{"matchLabels":{"app":"%s"}},
                 "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":%s}}}}"""
        .formatted(name, name, name, name, containers);
  }

  static String service(String name, String spec) {
    return """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},"spec":%s}""".formatted(name, spec);
  }

  static JsonNode create(Target t, String collection, String body) {
    Target.Answer created = t.post(collection, body);
    if (created.code() != 201) {
      throw new IllegalStateException(t.name() + " did not create at " + collection + ": " + created.body());
    }
    return created.json();
  }

  /**
   * The object without what every server makes up for itself (uid, resourceVersion, timestamps,
   * managedFields), so that what is left is what the server decided.
   */
  static JsonNode stable(JsonNode object) {
    if (!object.isObject()) {
      return object;
    }
    ObjectNode copy = object.deepCopy();
    JsonNode metadata = copy.path("metadata");
    if (metadata instanceof ObjectNode m) {
      m.remove("uid");
      m.remove("resourceVersion");
      m.remove("creationTimestamp");
      m.remove("managedFields");
      m.remove("selfLink");
    }
    return copy;
  }

  static String rv(JsonNode object) {
    return object.path("metadata").path("resourceVersion").asText();
  }
}
