package com.diotec360.lattice.embedded.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a Kubernetes structural schema (a CRD's openAPIV3Schema) into a JSON Schema (draft 4,
 * whose boolean exclusiveMinimum/exclusiveMaximum Kubernetes also uses) that behaves like the API
 * server:
 *
 * <ul>
 *   <li>{@code x-kubernetes-*} keywords are dropped; {@code x-kubernetes-int-or-string} becomes
 *       "integer or string" when the schema does not already say so with anyOf;
 *       {@code nullable: true} admits null;
 *   <li>{@code x-kubernetes-list-type: set} becomes uniqueItems;
 *   <li>objects with properties reject unknown fields, as the API server does under kubectl's
 *       default strict field validation, unless they preserve unknown fields;
 *   <li>the root admits apiVersion, kind and metadata, which the API server validates itself.
 * </ul>
 *
 * CEL rules ({@code x-kubernetes-validations}) are not JSON Schema: {@link CelRuleEvaluator} runs them.
 */
public final class StructuralSchema {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private StructuralSchema() {}

  public static ObjectNode toJsonSchema(JsonNode openApiV3Schema) {
    ObjectNode root = convert(openApiV3Schema);
    ObjectNode properties = root.withObject("properties");
    properties.set("apiVersion", JSON.objectNode().put("type", "string"));
    properties.set("kind", JSON.objectNode().put("type", "string"));
    properties.set("metadata", JSON.objectNode().put("type", "object"));
    return root;
  }

  private static ObjectNode convert(JsonNode schema) {
    ObjectNode out = JSON.objectNode();
    for (Map.Entry<String, JsonNode> field : schema.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          value.properties().forEach(p -> properties.set(p.getKey(), convert(p.getValue())));
        }
        case "items", "not" -> out.set(key, convert(value));
        case "additionalProperties" ->
            out.set(key, value.isObject() ? convert(value) : value.deepCopy());
        case "anyOf", "allOf", "oneOf" -> {
          ArrayNode alternatives = out.putArray(key);
          value.forEach(alternative -> alternatives.add(convert(alternative)));
        }
        case "nullable" -> { } // handled below, once "type" is known
        default -> {
          if (!key.startsWith("x-kubernetes-")) {
            out.set(key, value.deepCopy());
          }
        }
      }
    }
    if ("set".equals(schema.path("x-kubernetes-list-type").asText())) {
      out.put("uniqueItems", true);
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean() && !out.has("anyOf")) {
      out.set("type", JSON.arrayNode().add("integer").add("string"));
    }
    if (schema.path("nullable").asBoolean() && out.path("type").isTextual()) {
      out.set("type", JSON.arrayNode().add(out.get("type").asText()).add("null"));
    }
    boolean preservesUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    if (out.has("properties") && !out.has("additionalProperties") && !preservesUnknown) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  /** Every x-kubernetes-* keyword name used in the schema, for a test that knows them all. */
  public static List<String> kubernetesExtensions(JsonNode schema) {
    List<String> found = new ArrayList<>();
    collectExtensions(schema, found);
    return found.stream().distinct().sorted().toList();
  }

  private static void collectExtensions(JsonNode node, List<String> found) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().startsWith("x-kubernetes-")) {
          found.add(field.getKey());
        }
        collectExtensions(field.getValue(), found);
      });
    } else if (node.isArray()) {
      node.forEach(element -> collectExtensions(element, found));
    }
  }
}
