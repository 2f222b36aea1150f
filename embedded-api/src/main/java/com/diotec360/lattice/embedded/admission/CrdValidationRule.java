package com.diotec360.lattice.embedded.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One x-kubernetes-validations entry of the CRD and where it sits. The path is JSON-path-like:
 * {@code $} is the root object, {@code [*]} every item of an array or value of a map.
 *
 * @param path where the rule sits in the schema
 * @param rule the CEL expression
 * @param message the fixed message (may be empty)
 * @param messageExpression a CEL expression giving the message, or empty
 * @param type the schema type at that path ("object", "string", ...), as the API server names the
 *     value of a failing rule: {@code Invalid value: "object"}
 */
public record CrdValidationRule(
    String path, String rule, String message, String messageExpression, String type) {

  /** A transition rule compares with the stored object and runs on updates only. */
  public boolean isTransitionRule() {
    return rule.contains("oldSelf");
  }

  @Override
  public String toString() {
    return path + ": " + rule;
  }

  /** Every rule in an openAPIV3Schema, walking properties, items and additionalProperties. */
  public static List<CrdValidationRule> collect(JsonNode openApiV3Schema) {
    List<CrdValidationRule> rules = new ArrayList<>();
    collect(openApiV3Schema, "$", rules);
    return rules;
  }

  private static void collect(JsonNode schema, String path, List<CrdValidationRule> rules) {
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      rules.add(
          new CrdValidationRule(
              path,
              validation.path("rule").asText(),
              validation.path("message").asText(),
              validation.path("messageExpression").asText(""),
              schema.path("type").asText("object")));
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
  public List<JsonNode> select(JsonNode document) {
    return locate(document).stream().map(Located::value).toList();
  }

  /** A value the rule applies to and its field path as the API server prints it. */
  public record Located(String field, JsonNode value) {}

  /**
   * The values this rule applies to, each with its field path as the API server prints it:
   * {@code spec.sync}, {@code spec.dns.aliases[0]}, {@code spec.env[FOO]} for a map value, and
   * {@code <nil>} for the root object.
   */
  public List<Located> locate(JsonNode document) {
    List<Located> current = List.of(new Located("", document));
    for (String segment : path.substring(1).split("(?=\\.)|(?=\\[\\*])")) {
      if (segment.isEmpty()) {
        continue;
      }
      List<Located> next = new ArrayList<>();
      for (Located located : current) {
        JsonNode node = located.value();
        if (segment.equals("[*]")) {
          if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
              next.add(new Located(located.field() + "[" + i + "]", node.get(i)));
            }
          } else {
            node.properties().forEach(p ->
                next.add(new Located(located.field() + "[" + p.getKey() + "]", p.getValue())));
          }
        } else if (node.has(segment.substring(1))) {
          String name = segment.substring(1);
          String field = located.field().isEmpty() ? name : located.field() + "." + name;
          next.add(new Located(field, node.get(name)));
        }
      }
      current = next;
    }
    return current.stream()
        .filter(l -> !l.value().isNull())
        .map(l -> l.field().isEmpty() ? new Located("<nil>", l.value()) : l)
        .toList();
  }
}
