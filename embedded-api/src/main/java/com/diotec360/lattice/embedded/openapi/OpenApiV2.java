package com.diotec360.lattice.embedded.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/** Turns the v3 schemas and paths into their Swagger 2.0 form, as the API server does for /openapi/v2. */
final class OpenApiV2 {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** JSON Schema keywords Swagger 2.0 has no place for. */
  private static final Set<String> V3_ONLY = Set.of("nullable", "anyOf", "oneOf", "not");

  private OpenApiV2() {}

  static JsonNode schema(JsonNode v3) {
    if (v3.isArray()) {
      ArrayNode out = JSON.arrayNode();
      v3.forEach(e -> out.add(schema(e)));
      return out;
    }
    if (!v3.isObject()) {
      return v3.deepCopy();
    }
    ObjectNode out = JSON.objectNode();
    for (Map.Entry<String, JsonNode> field : v3.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (V3_ONLY.contains(key)) {
        continue;
      }
      switch (key) {
        case "$ref" -> out.put("$ref", value.asText().replace("#/components/schemas/", "#/definitions/"));
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          value.properties().forEach(p -> properties.set(p.getKey(), schema(p.getValue())));
        }
        case "items", "additionalProperties", "allOf" -> out.set(key, schema(value));
        case "default", "enum", "example" -> out.set(key, value.deepCopy());
        default -> out.set(key, value.deepCopy());
      }
    }
    return out;
  }

  /** A v3 path item: operations with their parameters, request bodies as a body parameter. */
  static ObjectNode path(JsonNode v3) {
    ObjectNode out = JSON.objectNode();
    for (Map.Entry<String, JsonNode> field : v3.properties()) {
      if (field.getKey().equals("parameters")) {
        out.set("parameters", parameters(field.getValue()));
        continue;
      }
      JsonNode op = field.getValue();
      ObjectNode o = out.putObject(field.getKey());
      o.set("tags", op.path("tags").deepCopy());
      o.put("operationId", op.path("operationId").asText());
      ArrayNode parameters = parameters(op.path("parameters"));
      JsonNode body = op.path("requestBody");
      if (body.isObject()) {
        ArrayNode consumes = o.putArray("consumes");
        JsonNode firstSchema = null;
        for (Map.Entry<String, JsonNode> type : body.path("content").properties()) {
          consumes.add(type.getKey());
          firstSchema = firstSchema == null ? type.getValue().path("schema") : firstSchema;
        }
        ObjectNode bodyParameter = JSON.objectNode().put("name", "body").put("in", "body").put("required", true);
        bodyParameter.set("schema", firstSchema == null ? JSON.objectNode() : schema(firstSchema));
        parameters.insert(0, bodyParameter);
      }
      o.set("parameters", parameters);
      o.putArray("produces").add("application/json").add("application/yaml");
      ObjectNode responses = o.putObject("responses");
      op.path("responses").properties().forEach(r -> {
        ObjectNode response = responses.putObject(r.getKey()).put("description", r.getValue().path("description").asText());
        JsonNode schema = r.getValue().path("content").path("application/json").path("schema");
        if (schema.isObject()) {
          response.set("schema", schema(schema));
        }
      });
      o.putArray("schemes").add("https");
      op.properties().forEach(e -> {
        if (e.getKey().startsWith("x-")) {
          o.set(e.getKey(), e.getValue().deepCopy());
        }
      });
    }
    return out;
  }

  private static ArrayNode parameters(JsonNode v3) {
    ArrayNode out = JSON.arrayNode();
    v3.forEach(p -> {
      ObjectNode parameter = JSON.objectNode()
          .put("name", p.path("name").asText())
          .put("in", p.path("in").asText())
          .put("description", p.path("description").asText())
          .put("type", p.path("schema").path("type").asText("string"))
          .put("uniqueItems", true);
      if (p.path("required").asBoolean(false)) {
        parameter.put("required", true);
      }
      out.add(parameter);
    });
    return out;
  }
}
