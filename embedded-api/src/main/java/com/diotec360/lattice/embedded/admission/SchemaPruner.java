package com.diotec360.lattice.embedded.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Drops what a structural schema does not declare, as the API server does for custom resources
 * before it stores them: unknown fields (unless {@code x-kubernetes-preserve-unknown-fields}) and
 * {@code null} values of fields that are not {@code nullable}. The root's apiVersion, kind and
 * metadata are the server's own and kept.
 */
public final class SchemaPruner {

  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private SchemaPruner() {}

  /** Prunes {@code object} in place and returns the paths it dropped (for logs and tests). */
  public static List<String> prune(JsonNode object, JsonNode schema) {
    List<String> dropped = new ArrayList<>();
    prune(object, schema, "", true, dropped);
    return dropped;
  }

  private static void prune(JsonNode node, JsonNode schema, String path, boolean root, List<String> dropped) {
    if (node.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < node.size(); i++) {
        prune(node.get(i), schema.get("items"), path + "[" + i + "]", false, dropped);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    for (String name : new ArrayList<>(iterable(object))) {
      if (root && ROOT_FIELDS.contains(name)) {
        continue;
      }
      String childPath = path.isEmpty() ? name : path + "." + name;
      JsonNode childSchema = properties.get(name);
      if (childSchema == null && additional.isObject()) {
        childSchema = additional;
      }
      JsonNode value = object.get(name);
      if (childSchema == null) {
        if (!preserve && !additional.asBoolean(false)) {
          object.remove(name);
          dropped.add(childPath);
        }
        continue;
      }
      if (value.isNull() && !childSchema.path("nullable").asBoolean(false)) {
        object.remove(name);
        dropped.add(childPath);
        continue;
      }
      prune(value, childSchema, childPath, false, dropped);
    }
  }

  private static List<String> iterable(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
