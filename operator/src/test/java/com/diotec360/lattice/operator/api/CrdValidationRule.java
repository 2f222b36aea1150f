package com.diotec360.lattice.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One x-kubernetes-validations entry of the CRD and where it sits. The path is JSON-path-like:
 * {@code $} is the root object, {@code [*]} every item of an array or value of a map.
 */
record CrdValidationRule(String path, String rule, String message) {

  /** A transition rule compares with the stored object and runs on updates only. */
  boolean isTransitionRule() {
    return rule.contains("oldSelf");
  }

  @Override
  public String toString() {
    return path + ": " + rule;
  }

  /** Every rule in an openAPIV3Schema, walking properties, items and additionalProperties. */
  static List<CrdValidationRule> collect(JsonNode openApiV3Schema) {
    List<CrdValidationRule> rules = new ArrayList<>();
    collect(openApiV3Schema, "$", rules);
    return rules;
  }

  private static void collect(JsonNode schema, String path, List<CrdValidationRule> rules) {
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      rules.add(
          new CrdValidationRule(
              path, validation.path("rule").asText(), validation.path("message").asText()));
    }
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      collect(property.getValue(), path + "." + property.getKey(), rules);
    }
    if (schema.path("items").isObject()) {
      collect(schema.get("items"), path + "[*]", rules);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), path + "[*]", rules);
    }
  }

  /** The values this rule applies to in a manifest; none when the field is absent. */
  List<JsonNode> select(JsonNode document) {
    List<JsonNode> current = List.of(document);
    for (String segment : path.substring(1).split("(?=\\.)|(?=\\[\\*])")) {
      if (segment.isEmpty()) {
        continue;
      }
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        if (segment.equals("[*]")) {
          node.forEach(next::add);
        } else if (node.has(segment.substring(1))) {
          next.add(node.get(segment.substring(1)));
        }
      }
      current = next;
    }
    return current.stream().filter(node -> !node.isNull()).toList();
  }
}
