package com.diotec360.lattice.embedded.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI v3 schema of one kind as this server publishes it: the root schema (named, with
 * {@code x-kubernetes-group-version-kind}) and every schema it refers to by {@code $ref}.
 *
 * @param name the root's name under {@code components.schemas}
 * @param schemas the root and everything it refers to, by name
 */
public record KindSchema(String name, Map<String, ObjectNode> schemas) {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The words the API server gives apiVersion, kind and metadata in every custom resource's schema. */
  static final String API_VERSION_DESCRIPTION =
      "APIVersion defines the versioned schema of this representation of an object. Servers should convert"
          + " recognized schemas to the latest internal value, and may reject unrecognized values. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
  static final String KIND_DESCRIPTION =
      "Kind is a string value representing the REST resource this object represents. Servers may infer this"
          + " from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
  static final String METADATA_DESCRIPTION =
      "Standard object's metadata. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

  public ObjectNode root() {
    return schemas.get(name);
  }

  /** The schema a {@code $ref} names, or the schema itself when it is no reference. */
  public JsonNode resolve(JsonNode schema) {
    JsonNode current = schema;
    for (int hops = 0; hops < 16; hops++) {
      if (current.has("$ref")) {
        String ref = current.get("$ref").asText();
        JsonNode target = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
        if (target == null) {
          return JSON.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
        }
        current = target;
      } else if (current.path("allOf").size() == 1 && !current.has("properties")) {
        current = current.get("allOf").get(0);
      } else {
        return current;
      }
    }
    return current;
  }

  /** A built-in kind, from its fabric8 model class. */
  public static KindSchema builtIn(String group, String version, String kind, Class<?> model) {
    Map<String, ObjectNode> schemas = new TreeMap<>();
    String name = ModelSchemas.collect(model, schemas);
    schemas.replaceAll((k, v) -> v.deepCopy());
    ObjectNode root = schemas.get(name);
    ObjectNode properties = root.with("properties");
    describe(properties, "apiVersion", API_VERSION_DESCRIPTION);
    describe(properties, "kind", KIND_DESCRIPTION);
    if (properties.has("metadata")) {
      ObjectNode metadata = JSON.objectNode();
      metadata.putArray("allOf").add(properties.get("metadata"));
      metadata.put("description", METADATA_DESCRIPTION);
      properties.set("metadata", metadata);
    }
    markKind(root, group, version, kind);
    return new KindSchema(name, schemas);
  }

  /**
   * A custom resource: the CRD's openAPIV3Schema for one version as written (descriptions, CEL
   * rules and all), with apiVersion, kind and metadata added as the API server adds them.
   */
  public static KindSchema custom(String group, String version, String kind, JsonNode openApiV3Schema) {
    Map<String, ObjectNode> schemas = new TreeMap<>();
    String meta = ModelSchemas.collect(ObjectMeta.class, schemas);
    schemas.replaceAll((k, v) -> v.deepCopy());
    ObjectNode root = openApiV3Schema == null ? JSON.objectNode().put("type", "object")
        : (ObjectNode) openApiV3Schema.deepCopy();
    ObjectNode properties = root.with("properties");
    ObjectNode ordered = JSON.objectNode();
    ordered.set("apiVersion", JSON.objectNode().put("description", API_VERSION_DESCRIPTION).put("type", "string"));
    ordered.set("kind", JSON.objectNode().put("description", KIND_DESCRIPTION).put("type", "string"));
    ObjectNode metadata = ordered.putObject("metadata");
    metadata.putArray("allOf").addObject().put("$ref", ModelSchemas.REF_PREFIX + meta);
    metadata.put("description", METADATA_DESCRIPTION);
    properties.properties().forEach(p -> {
      if (!ordered.has(p.getKey())) {
        ordered.set(p.getKey(), p.getValue());
      }
    });
    root.set("properties", ordered);
    if (!root.has("type")) {
      root.put("type", "object");
    }
    String[] groupParts = group.split("\\.");
    StringBuilder name = new StringBuilder();
    for (int i = groupParts.length - 1; i >= 0; i--) {
      name.append(groupParts[i]).append('.');
    }
    name.append(version).append('.').append(kind);
    markKind(root, group, version, kind);
    schemas.put(name.toString(), root);
    return new KindSchema(name.toString(), schemas);
  }

  private static void describe(ObjectNode properties, String field, String description) {
    if (properties.get(field) instanceof ObjectNode schema && !schema.has("description")) {
      ObjectNode described = JSON.objectNode().put("description", description);
      described.setAll(schema);
      properties.set(field, described);
    }
  }

  private static void markKind(ObjectNode root, String group, String version, String kind) {
    root.putArray("x-kubernetes-group-version-kind").addObject()
        .put("group", group).put("kind", kind).put("version", version);
  }
}
