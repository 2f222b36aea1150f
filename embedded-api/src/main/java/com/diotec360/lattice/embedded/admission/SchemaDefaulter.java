package com.diotec360.lattice.embedded.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Fills in the {@code default:} values of a structural schema where the object leaves a field
 * out, top-down, as the API server does for custom resources on create, update and read. A default
 * that is itself an object is defaulted in turn.
 */
public final class SchemaDefaulter {

  private SchemaDefaulter() {}

  /** Applies the defaults in place. */
  public static void apply(JsonNode node, JsonNode schema) {
    if (node.isArray() && schema.path("items").isObject()) {
      node.forEach(item -> apply(item, schema.get("items")));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String name = property.getKey();
      JsonNode propertySchema = property.getValue();
      if (!object.has(name) && propertySchema.has("default")) {
        object.set(name, propertySchema.get("default").deepCopy());
      }
      if (object.has(name)) {
        apply(object.get(name), propertySchema);
      }
    }
    JsonNode additional = schema.path("additionalProperties");
    if (additional.isObject()) {
      object.properties().forEach(p -> {
        if (!schema.path("properties").has(p.getKey())) {
          apply(p.getValue(), additional);
        }
      });
    }
  }
}
