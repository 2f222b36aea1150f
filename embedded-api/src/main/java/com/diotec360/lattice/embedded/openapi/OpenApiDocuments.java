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
 * The OpenAPI documents kubectl reads: {@code /openapi/v3} (the index of group/versions),
 * {@code /openapi/v3/apis/<group>/<version>} (schemas and paths of one group/version) and
 * {@code /openapi/v2} (everything; JSON, or protobuf when asked for it as kubectl does). Custom
 * resources are described by their CRD's schema, built-in kinds by {@link BuiltInKinds}. Each
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

  private record Rendered(Map<String, byte[]> v3, byte[] index, byte[] v2Json, byte[] v2Protobuf) {}

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
      return Optional.of(protobuf ? new Answer(PROTOBUF_V2, docs.v2Protobuf())
          : new Answer("application/json", docs.v2Json()));
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

  /** The parsed v2 document, for tests. */
  public JsonNode v2() {
    return parse(rendered().v2Json());
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
    ObjectNode v2 = JSON.objectNode().put("swagger", "2.0");
    v2.putObject("info").put("title", "Kubernetes").put("version", serverVersion);
    ObjectNode v2Paths = v2.putObject("paths");
    ObjectNode v2Definitions = JSON.objectNode();
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
      paths.properties().forEach(p -> v2Paths.set(p.getKey(), OpenApiV2.path(p.getValue())));
      schemas.forEach((name, schema) -> v2Definitions.set(name, OpenApiV2.schema(schema)));
    });
    v2.set("definitions", sorted(v2Definitions));
    return new Rendered(Map.copyOf(v3), bytes(index), bytes(v2), OpenApiV2Protobuf.encode(v2));
  }

  private static ObjectNode sorted(ObjectNode node) {
    ObjectNode out = JSON.objectNode();
    new TreeMap<>(toMap(node)).forEach(out::set);
    return out;
  }

  private static Map<String, JsonNode> toMap(ObjectNode node) {
    Map<String, JsonNode> map = new LinkedHashMap<>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
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
