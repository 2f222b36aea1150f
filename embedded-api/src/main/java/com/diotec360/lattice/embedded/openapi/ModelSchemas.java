package com.diotec360.lattice.embedded.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAPI v3 schemas of built-in kinds, derived from the fabric8 model classes (the Java mirror of
 * the Kubernetes Go types) through Jackson's own view of them: the JSON property names and types
 * the client reads and writes. Each class becomes one named schema (its Java class name), fields of
 * class type are {@code $ref}s, so recursive types (a CRD's JSONSchemaProps) are finite.
 *
 * <p>What the Go types carry and the Java classes do not is missing: field descriptions, required
 * lists, enums, formats other than the integer widths. Strategic merge patch directives
 * ({@code x-kubernetes-patch-strategy}, {@code -merge-key}) are added from a short table copied
 * from the Go struct tags of the lists the kinds served here use ({@link #PATCH_DIRECTIVES}), so
 * kubectl computes the same patches from these documents as from its compiled-in types.
 */
public final class ModelSchemas {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Serialization.jsonMapper();
  static final String REF_PREFIX = "#/components/schemas/";

  /** {@code Class.property} → {strategy, merge key or null}, from the Kubernetes Go struct tags. */
  static final Map<String, String[]> PATCH_DIRECTIVES = Map.ofEntries(
      Map.entry("ObjectMeta.finalizers", new String[] {"merge", null}),
      Map.entry("ObjectMeta.ownerReferences", new String[] {"merge", "uid"}),
      Map.entry("PodSpec.containers", new String[] {"merge", "name"}),
      Map.entry("PodSpec.initContainers", new String[] {"merge", "name"}),
      Map.entry("PodSpec.ephemeralContainers", new String[] {"merge", "name"}),
      Map.entry("PodSpec.volumes", new String[] {"merge,retainKeys", "name"}),
      Map.entry("PodSpec.imagePullSecrets", new String[] {"merge", "name"}),
      Map.entry("PodSpec.hostAliases", new String[] {"merge", "ip"}),
      Map.entry("PodSpec.topologySpreadConstraints", new String[] {"merge", "topologyKey"}),
      Map.entry("PodSpec.resourceClaims", new String[] {"merge,retainKeys", "name"}),
      Map.entry("PodSpec.schedulingGates", new String[] {"merge", "name"}),
      Map.entry("Container.ports", new String[] {"merge", "containerPort"}),
      Map.entry("Container.env", new String[] {"merge", "name"}),
      Map.entry("Container.volumeMounts", new String[] {"merge", "mountPath"}),
      Map.entry("Container.volumeDevices", new String[] {"merge", "devicePath"}),
      Map.entry("EphemeralContainer.ports", new String[] {"merge", "containerPort"}),
      Map.entry("EphemeralContainer.env", new String[] {"merge", "name"}),
      Map.entry("EphemeralContainer.volumeMounts", new String[] {"merge", "mountPath"}),
      Map.entry("EphemeralContainer.volumeDevices", new String[] {"merge", "devicePath"}),
      Map.entry("ServiceSpec.ports", new String[] {"merge", "port"}),
      Map.entry("ServiceAccount.secrets", new String[] {"merge", "name"}),
      Map.entry("DeploymentSpec.strategy", new String[] {"retainKeys", null}),
      Map.entry("DeploymentStatus.conditions", new String[] {"merge", "type"}),
      Map.entry("PodStatus.conditions", new String[] {"merge", "type"}),
      Map.entry("PersistentVolumeClaimStatus.conditions", new String[] {"merge", "type"}),
      Map.entry("NamespaceStatus.conditions", new String[] {"merge", "type"}),
      Map.entry("ServiceStatus.conditions", new String[] {"merge", "type"}));

  private ModelSchemas() {}

  /** The name under which a class's schema is published (its Java class name). */
  public static String nameOf(Class<?> type) {
    return type.getName();
  }

  /**
   * Adds the schema of {@code root} and of every class it reaches to {@code schemas} (by name),
   * and returns the root's name.
   */
  public static String collect(Class<?> root, Map<String, ObjectNode> schemas) {
    objectSchema(MAPPER.constructType(root), schemas);
    return nameOf(root);
  }

  /** All schemas reachable from {@code root}, sorted by name. */
  public static Map<String, ObjectNode> of(Class<?> root) {
    Map<String, ObjectNode> schemas = new TreeMap<>();
    collect(root, schemas);
    return schemas;
  }

  private static void objectSchema(JavaType type, Map<String, ObjectNode> schemas) {
    String name = nameOf(type.getRawClass());
    if (schemas.containsKey(name)) {
      return;
    }
    ObjectNode schema = JSON.objectNode().put("type", "object");
    schemas.put(name, schema); // before the properties: recursive types end here
    BeanDescription bean = MAPPER.getSerializationConfig().introspect(type);
    ObjectNode properties = JSON.objectNode();
    for (BeanPropertyDefinition property : bean.findProperties()) {
      if (property.getPrimaryType() == null) {
        continue;
      }
      ObjectNode propertySchema = schemaOf(property.getPrimaryType(), schemas);
      String[] directive = PATCH_DIRECTIVES.get(type.getRawClass().getSimpleName() + "." + property.getName());
      if (directive != null) {
        if (propertySchema.has("$ref")) {
          // Siblings of a $ref are ignored by OpenAPI readers: wrap it, as the real documents do.
          ObjectNode wrapped = JSON.objectNode();
          wrapped.putArray("allOf").add(propertySchema);
          propertySchema = wrapped;
        }
        propertySchema.put("x-kubernetes-patch-strategy", directive[0]);
        if (directive[1] != null) {
          propertySchema.put("x-kubernetes-patch-merge-key", directive[1]);
        }
      }
      properties.set(property.getName(), propertySchema);
    }
    if (properties.isEmpty()) {
      // No declared fields: a free-form value (RawExtension, FieldsV1, JSON).
      schema.put("x-kubernetes-preserve-unknown-fields", true);
    } else {
      schema.set("properties", properties);
    }
  }

  private static ObjectNode schemaOf(JavaType type, Map<String, ObjectNode> schemas) {
    Class<?> raw = type.getRawClass();
    if (raw == String.class || raw == Character.class || raw == char.class || raw.isEnum()) {
      return JSON.objectNode().put("type", "string");
    }
    if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
      return JSON.objectNode().put("type", "integer").put("format", "int32");
    }
    if (raw == Long.class || raw == long.class || raw == BigInteger.class) {
      return JSON.objectNode().put("type", "integer").put("format", "int64");
    }
    if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class
        || raw == BigDecimal.class) {
      return JSON.objectNode().put("type", "number").put("format", "double");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return JSON.objectNode().put("type", "boolean");
    }
    if (raw == IntOrString.class) {
      return JSON.objectNode().put("type", "string").put("format", "int-or-string");
    }
    if (raw == Quantity.class) {
      return JSON.objectNode().put("type", "string");
    }
    if (raw == MicroTime.class) {
      return JSON.objectNode().put("type", "string").put("format", "date-time");
    }
    if (raw == byte[].class) {
      return JSON.objectNode().put("type", "string").put("format", "byte");
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      ObjectNode array = JSON.objectNode().put("type", "array");
      array.set("items", schemaOf(type.getContentType(), schemas));
      return array;
    }
    if (type.isMapLikeType()) {
      ObjectNode map = JSON.objectNode().put("type", "object");
      map.set("additionalProperties", schemaOf(type.getContentType(), schemas));
      return map;
    }
    if (raw == Object.class || JsonNode.class.isAssignableFrom(raw) || raw.isInterface()
        || Modifier.isAbstract(raw.getModifiers()) || Collection.class.isAssignableFrom(raw)
        || hasCustomCodec(raw) || !raw.getName().startsWith("io.fabric8.kubernetes.api.model")) {
      // Any JSON value (e.g. a CRD's default or a JSONSchemaPropsOrArray): not described further.
      return JSON.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
    }
    objectSchema(type, schemas);
    return JSON.objectNode().put("$ref", REF_PREFIX + nameOf(raw));
  }

  private static boolean hasCustomCodec(Class<?> raw) {
    JsonDeserialize deserialize = raw.getAnnotation(JsonDeserialize.class);
    JsonSerialize serialize = raw.getAnnotation(JsonSerialize.class);
    return (deserialize != null && deserialize.using() != JsonDeserializer.None.class)
        || (serialize != null && serialize.using() != JsonSerializer.None.class);
  }
}
