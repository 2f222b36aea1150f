package com.diotec360.lattice.embedded.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@code fieldSelector} ({@code a=b,c==d,e!=f}) over the fields kube-apiserver lets one select
 * by: {@code metadata.name} and {@code metadata.namespace} on every kind, and per kind the fields
 * its registry adds (events: {@code involvedObject.*}, {@code reason}, {@code type}, {@code source},
 * {@code reportingComponent}; secrets: {@code type}; pods, namespaces). Any other field is refused
 * as the real server refuses it: 400 "field label not supported: x".
 */
final class FieldSelector {

  private record Requirement(String field, String value, boolean equal) {}

  private static final Map<String, Function<JsonNode, String>> EVENT_FIELDS = Map.ofEntries(
      Map.entry("involvedObject.kind", e -> text(e, "involvedObject", "kind")),
      Map.entry("involvedObject.namespace", e -> text(e, "involvedObject", "namespace")),
      Map.entry("involvedObject.name", e -> text(e, "involvedObject", "name")),
      Map.entry("involvedObject.uid", e -> text(e, "involvedObject", "uid")),
      Map.entry("involvedObject.apiVersion", e -> text(e, "involvedObject", "apiVersion")),
      Map.entry("involvedObject.resourceVersion", e -> text(e, "involvedObject", "resourceVersion")),
      Map.entry("involvedObject.fieldPath", e -> text(e, "involvedObject", "fieldPath")),
      Map.entry("reason", e -> text(e, "reason")),
      Map.entry("reportingComponent", e -> text(e, "reportingComponent")),
      Map.entry("source", e -> text(e, "source", "component")),
      Map.entry("type", e -> text(e, "type")));

  private static final Map<String, Function<JsonNode, String>> POD_FIELDS = Map.of(
      "spec.nodeName", p -> text(p, "spec", "nodeName"),
      "spec.restartPolicy", p -> text(p, "spec", "restartPolicy"),
      "spec.schedulerName", p -> text(p, "spec", "schedulerName"),
      "spec.serviceAccountName", p -> text(p, "spec", "serviceAccountName"),
      "spec.hostNetwork", p -> String.valueOf(p.path("spec").path("hostNetwork").asBoolean(false)),
      "status.phase", p -> text(p, "status", "phase"),
      "status.podIP", p -> text(p, "status", "podIP"),
      "status.nominatedNodeName", p -> text(p, "status", "nominatedNodeName"));

  private final List<Requirement> requirements;
  private final Map<String, Function<JsonNode, String>> fields;

  private FieldSelector(List<Requirement> requirements, Map<String, Function<JsonNode, String>> fields) {
    this.requirements = requirements;
    this.fields = fields;
  }

  /** Everything matches. */
  static FieldSelector none() {
    return new FieldSelector(List.of(), Map.of());
  }

  /**
   * Parses {@code selector} for a resource.
   *
   * @throws IllegalArgumentException with the real server's message for a field it cannot select by
   */
  static FieldSelector parse(String selector, String group, String plural) {
    if (selector == null || selector.isBlank()) {
      return none();
    }
    Map<String, Function<JsonNode, String>> fields = fieldsOf(group, plural);
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      int ne = t.indexOf("!=");
      int eq = t.indexOf('=');
      Requirement r;
      if (ne >= 0 && (eq < 0 || ne < eq)) {
        r = new Requirement(t.substring(0, ne).trim(), t.substring(ne + 2).trim(), false);
      } else if (eq >= 0) {
        String value = t.substring(eq + 1);
        r = new Requirement(t.substring(0, eq).trim(), (value.startsWith("=") ? value.substring(1) : value).trim(), true);
      } else {
        throw new IllegalArgumentException("invalid selector: '" + selector + "'; can't understand '" + t + "'");
      }
      if (!fields.containsKey(r.field())) {
        throw new IllegalArgumentException("field label not supported: " + r.field());
      }
      requirements.add(r);
    }
    return new FieldSelector(List.copyOf(requirements), fields);
  }

  private static Map<String, Function<JsonNode, String>> fieldsOf(String group, String plural) {
    Map<String, Function<JsonNode, String>> fields = new java.util.HashMap<>();
    fields.put("metadata.name", o -> text(o, "metadata", "name"));
    fields.put("metadata.namespace", o -> text(o, "metadata", "namespace"));
    switch (group + "/" + plural) {
      case "/events" -> fields.putAll(EVENT_FIELDS);
      case "/secrets" -> fields.put("type", s -> text(s, "type"));
      case "/namespaces" -> fields.put("status.phase", n -> text(n, "status", "phase"));
      case "/pods" -> fields.putAll(POD_FIELDS);
      default -> { }
    }
    return fields;
  }

  private static String text(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isValueNode() ? n.asText() : "";
  }

  boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** The single name selected with {@code metadata.name=x}, if any. */
  String selectedName() {
    return requirements.stream().filter(r -> r.equal() && r.field().equals("metadata.name"))
        .map(Requirement::value).findFirst().orElse(null);
  }

  boolean matches(JsonNode object) {
    for (Requirement r : requirements) {
      if (fields.get(r.field()).apply(object).equals(r.value()) != r.equal()) {
        return false;
      }
    }
    return true;
  }

  static Set<String> eventFields() {
    return EVENT_FIELDS.keySet();
  }
}
