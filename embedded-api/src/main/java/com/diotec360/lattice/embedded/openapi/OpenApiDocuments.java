package com.diotec360.lattice.embedded.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OpenAPI documents kubectl reads: {@code /openapi/v3} (the index of group/versions) and
 * {@code /openapi/v3/apis/<group>/<version>} (schemas and paths of one group/version). Custom
 * resources are described by their CRD's schema, built-in kinds by {@link BuiltInKinds}.
 * {@code /openapi/v2} is served empty (JSON, or protobuf as kubectl asks for it): kubectl 1.32
 * explains and validates with v3, and falls back to v2 only for a kind v3 does not describe (an
 * apply of a kind the server lacks, which then fails with {@code no matches for kind}, as on a
 * cluster, instead of a protobuf parse error) and for strategic-merge metadata, which it then
 * takes from its own compiled types. Each
 * PATCH, POST and PUT declares the {@code fieldValidation} parameter with the kind's
 * {@code x-kubernetes-group-version-kind}: that is how kubectl decides the server validates
 * fields itself and sends {@code fieldValidation=Strict} instead of validating on its side.
 */
public final class OpenApiDocuments {

  /** One resource served. {@code crdSchema} is the CRD version's openAPIV3Schema, null for a built-in. */
  public record Resource(
      String group, String version, String plural, String kind, boolean namespaced, boolean statusSubresource,
      JsonNode crdSchema, boolean custom) {

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** The path of the group/version: {@code api/v1} or {@code apis/apps/v1}. */
    String gvPath() {
      return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
  }

  /** An answer to a GET. */
  public record Answer(String contentType, byte[] body) {}

  /** What the API server answers to kubectl's {@code Accept: ...spec.v2@v1.0+protobuf} (Go's mime parser takes no '@'). */
  static final String PROTOBUF_V2 = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final String FIELD_VALIDATION_DESCRIPTION =
      "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing"
          + " unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are"
          + " silently dropped from the object, and will ignore all but the last duplicate field that the decoder"
          + " encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the"
          + " standard warning response header for each unknown field that is dropped from the object, and for"
          + " each duplicate field that is encountered. The request will still succeed if there are no other"
          + " errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ -"
          + " Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped"
          + " from the object, or if any duplicate fields are present. The error returned from the server will"
          + " contain all unknown and duplicate fields encountered.";

  private static final String PATCH_SCHEMA = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

  private final String serverVersion;
  private volatile List<Resource> resources = List.of();
  private volatile Rendered rendered;

  private record Rendered(Map<String, byte[]> v3, byte[] index) {}

  public OpenApiDocuments(String serverVersion) {
    this.serverVersion = serverVersion;
  }

  /** The resources served from now on (documents are rebuilt on the next request). */
  public synchronized void update(List<Resource> resources) {
    this.resources = List.copyOf(resources);
    this.rendered = null;
  }

  /** True for every path under {@code /openapi/}. */
  public static boolean isOpenApi(String path) {
    return path.startsWith("/openapi/") || path.equals("/openapi");
  }

  /**
   * The document at {@code path} (query ignored), in the form {@code accept} asks for; empty when
   * there is none (the caller answers 404).
   */
  public Optional<Answer> answer(String path, String accept) {
    int q = path.indexOf('?');
    String p = q < 0 ? path : path.substring(0, q);
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    Rendered docs = rendered();
    if (p.equals("/openapi/v2")) {
      boolean protobuf = accept != null && accept.contains("protobuf")
          && !accept.startsWith("application/json");
      return Optional.of(protobuf ? new Answer(PROTOBUF_V2, emptyV2Protobuf())
          : new Answer("application/json", bytes(emptyV2())));
    }
    if (p.equals("/openapi/v3")) {
      return Optional.of(new Answer("application/json", docs.index()));
    }
    if (p.startsWith("/openapi/v3/")) {
      byte[] document = docs.v3().get(p.substring("/openapi/v3/".length()));
      return Optional.ofNullable(document).map(d -> new Answer("application/json", d));
    }
    return Optional.empty();
  }

  /** The parsed v3 document of one group/version path ({@code apis/apps/v1}), for tests. */
  public Optional<JsonNode> v3(String gvPath) {
    return Optional.ofNullable(rendered().v3().get(gvPath)).map(OpenApiDocuments::parse);
  }

  /** The parsed v3 index, for tests. */
  public JsonNode v3Index() {
    return parse(rendered().index());
  }

  /** The schema a write of {@code kind} in {@code groupVersion} is checked against, if described. */
  public Optional<KindSchema> schema(String groupVersion, String kind) {
    for (Resource r : resources) {
      if (r.groupVersion().equals(groupVersion) && r.kind().equals(kind)) {
        return Optional.ofNullable(kindSchema(r));
      }
    }
    return Optional.empty();
  }

  private static KindSchema kindSchema(Resource r) {
    if (r.custom()) {
      return KindSchema.custom(r.group(), r.version(), r.kind(), r.crdSchema());
    }
    return BuiltInKinds.schema(r.groupVersion(), r.kind()).orElse(null);
  }

  private Rendered rendered() {
    Rendered current = rendered;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (rendered == null) {
        rendered = render(resources);
      }
      return rendered;
    }
  }

  private Rendered render(List<Resource> resources) {
    Map<String, List<Resource>> byGroupVersion = new TreeMap<>();
    for (Resource r : resources) {
      byGroupVersion.computeIfAbsent(r.gvPath(), k -> new ArrayList<>()).add(r);
    }
    Map<String, byte[]> v3 = new LinkedHashMap<>();
    ObjectNode index = JSON.objectNode();
    ObjectNode indexPaths = index.putObject("paths");
    byGroupVersion.forEach((gvPath, members) -> {
      ObjectNode document = JSON.objectNode().put("openapi", "3.0.0");
      document.putObject("info").put("title", "Kubernetes").put("version", serverVersion);
      ObjectNode paths = document.putObject("paths");
      Map<String, ObjectNode> schemas = new TreeMap<>();
      for (Resource r : members) {
        KindSchema kind = kindSchema(r);
        if (kind != null) {
          schemas.putAll(kind.schemas());
        }
        addPaths(paths, r, kind == null ? null : kind.name());
      }
      schemas.put(PATCH_SCHEMA, JSON.objectNode().put("type", "object").put("description",
          "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."));
      ObjectNode components = document.putObject("components").putObject("schemas");
      schemas.forEach(components::set);
      byte[] bytes = bytes(document);
      v3.put(gvPath, bytes);
      indexPaths.putObject(gvPath).put("serverRelativeURL", "/openapi/v3/" + gvPath + "?hash=" + sha512(bytes));
    });
    return new Rendered(Map.copyOf(v3), bytes(index));
  }

  /** Swagger 2.0 with no paths and no definitions. */
  private ObjectNode emptyV2() {
    ObjectNode v2 = JSON.objectNode().put("swagger", "2.0");
    v2.putObject("info").put("title", "Kubernetes").put("version", serverVersion);
    v2.putObject("paths");
    v2.putObject("definitions");
    return v2;
  }

  /**
   * The same as gnostic's {@code openapi_v2.Document} in protobuf, which is what kubectl decodes:
   * swagger (field 1), info (2: title 1, version 2), empty paths (8) and definitions (9).
   */
  private byte[] emptyV2Protobuf() {
    java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
    field(info, 1, "Kubernetes".getBytes(StandardCharsets.UTF_8));
    field(info, 2, serverVersion.getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream document = new java.io.ByteArrayOutputStream();
    field(document, 1, "2.0".getBytes(StandardCharsets.UTF_8));
    field(document, 2, info.toByteArray());
    field(document, 8, new byte[0]);
    field(document, 9, new byte[0]);
    return document.toByteArray();
  }

  /** One length-delimited protobuf field (shorter than 128 bytes, as everything here). */
  private static void field(java.io.ByteArrayOutputStream out, int number, byte[] value) {
    out.write(number << 3 | 2);
    out.write(value.length);
    out.writeBytes(value);
  }

  // ---- paths ---------------------------------------------------------------------------------

  private static void addPaths(ObjectNode paths, Resource r, String schemaName) {
    String base = "/" + r.gvPath() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
    ObjectNode collection = paths.putObject(base);
    collection.set("get", operation(r, "list", schemaName, false));
    collection.set("post", operation(r, "post", schemaName, false));
    collection.set("parameters", pathParameters(r, false));
    ObjectNode item = paths.putObject(base + "/{name}");
    item.set("get", operation(r, "get", schemaName, false));
    item.set("put", operation(r, "put", schemaName, false));
    item.set("patch", operation(r, "patch", schemaName, false));
    item.set("delete", operation(r, "delete", schemaName, false));
    item.set("parameters", pathParameters(r, true));
    if (r.statusSubresource()) {
      ObjectNode status = paths.putObject(base + "/{name}/status");
      status.set("get", operation(r, "get", schemaName, true));
      status.set("put", operation(r, "put", schemaName, true));
      status.set("patch", operation(r, "patch", schemaName, true));
      status.set("parameters", pathParameters(r, true));
    }
  }

  private static ObjectNode operation(Resource r, String action, String schemaName, boolean status) {
    ObjectNode op = JSON.objectNode();
    op.putArray("tags").add(tag(r));
    String verb = switch (action) {
      case "post" -> "create";
      case "put" -> "replace";
      default -> action;
    };
    op.put("operationId", verb + camel(r) + (r.namespaced() ? "Namespaced" : "") + r.kind() + (status ? "Status" : ""));
    ArrayNode parameters = op.putArray("parameters");
    if (List.of("post", "put", "patch").contains(action)) {
      parameters.add(query("dryRun", "When present, indicates that modifications should not be persisted."));
      parameters.add(query("fieldManager", "fieldManager is a name associated with the actor or entity that is"
          + " making these changes."));
      parameters.add(query("fieldValidation", FIELD_VALIDATION_DESCRIPTION));
      ObjectNode body = op.putObject("requestBody");
      body.put("required", true);
      ObjectNode content = body.putObject("content");
      List<String> types = action.equals("patch")
          ? r.custom()
              ? List.of("application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml")
              : List.of("application/json-patch+json", "application/merge-patch+json",
                  "application/strategic-merge-patch+json", "application/apply-patch+yaml")
          : List.of("*/*");
      for (String type : types) {
        ObjectNode schema = content.putObject(type).putObject("schema");
        if (action.equals("patch")) {
          schema.put("$ref", ModelSchemas.REF_PREFIX + PATCH_SCHEMA);
        } else if (schemaName != null) {
          schema.put("$ref", ModelSchemas.REF_PREFIX + schemaName);
        }
      }
    }
    if (action.equals("patch")) {
      parameters.add(query("force", "Force is going to \"force\" Apply requests. It means user will re-acquire"
          + " conflicting fields owned by other people. Force flag must be unset for non-apply patch requests."));
    }
    if (action.equals("list")) {
      parameters.add(query("labelSelector", "A selector to restrict the list of returned objects by their labels."));
      parameters.add(query("fieldSelector", "A selector to restrict the list of returned objects by their fields."));
      parameters.add(query("watch", "Watch for changes to the described resources."));
    }
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject("200").put("description", "OK");
    if (schemaName != null && !action.equals("list") && !action.equals("delete")) {
      ObjectNode content = ok.putObject("content");
      content.putObject("application/json").putObject("schema").put("$ref", ModelSchemas.REF_PREFIX + schemaName);
    }
    if (action.equals("post")) {
      responses.putObject("201").put("description", "Created");
    }
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", r.group()).put("kind", r.kind()).put("version", r.version());
    return op;
  }

  private static ArrayNode pathParameters(Resource r, boolean named) {
    ArrayNode parameters = JSON.arrayNode();
    if (named) {
      parameters.add(pathParameter("name", "name of the " + r.kind()));
    }
    if (r.namespaced()) {
      parameters.add(pathParameter("namespace", "object name and auth scope, such as for teams and projects"));
    }
    parameters.add(query("pretty", "If 'true', then the output is pretty printed."));
    return parameters;
  }

  private static ObjectNode query(String name, String description) {
    ObjectNode p = JSON.objectNode().put("name", name).put("in", "query").put("description", description);
    p.putObject("schema").put("type", name.equals("force") || name.equals("watch") ? "boolean" : "string")
        .put("uniqueItems", true);
    return p;
  }

  private static ObjectNode pathParameter(String name, String description) {
    ObjectNode p = JSON.objectNode().put("name", name).put("in", "path").put("description", description)
        .put("required", true);
    p.putObject("schema").put("type", "string").put("uniqueItems", true);
    return p;
  }

  private static String tag(Resource r) {
    return camelLower(r) + "_" + r.version();
  }

  private static String camel(Resource r) {
    StringBuilder out = new StringBuilder();
    String group = r.group().isEmpty() ? "core" : r.group().replace(".k8s.io", "");
    for (String part : (group + "." + r.version()).split("[.-]")) {
      if (!part.isEmpty()) {
        out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return out.toString();
  }

  private static String camelLower(Resource r) {
    String c = camel(r);
    c = c.substring(0, c.length() - r.version().length());
    return Character.toLowerCase(c.charAt(0)) + c.substring(1);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static byte[] bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha512(byte[] bytes) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
