package com.diotec360.lattice.embedded;

import com.diotec360.lattice.embedded.admission.FieldCause;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.stream.Collectors;

/** Failure answers in the shape of a real API server's {@code Status} (kind, reason, code). */
final class ApiStatus {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the API server says when a JSON Patch does not apply (e.g. add under a missing parent). */
  static final String PATCH_REJECTED = "the server rejected our request due to an error in our request";

  private ApiStatus() {}

  static MockResponse failure(int code, String reason, String message) {
    return respond(code, status(code, reason, message));
  }

  /** 404 NotFound as for a GET of a missing object: {@code services "x" not found}, with details. */
  static MockResponse notFound(String plural, String group, String name) {
    String qualified = group.isEmpty() ? plural : plural + "." + group;
    ObjectNode status = status(404, "NotFound", qualified + " \"" + name + "\" not found");
    status.remove("code");
    ObjectNode details = status.putObject("details").put("name", name);
    if (!group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", plural);
    status.put("code", 404);
    return respond(404, status);
  }

  /** 409 AlreadyExists for a create of a name that is taken: {@code configmaps "x" already exists}. */
  static MockResponse alreadyExists(String plural, String group, String name) {
    String qualified = group.isEmpty() ? plural : plural + "." + group;
    ObjectNode status = status(409, "AlreadyExists", qualified + " \"" + name + "\" already exists");
    status.remove("code");
    ObjectNode details = status.putObject("details").put("name", name);
    if (!group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", plural);
    status.put("code", 409);
    return respond(409, status);
  }

  /** 422 Invalid for a patch that cannot be applied. */
  static MockResponse patchNotApplicable() {
    return failure(422, "Invalid", PATCH_REJECTED);
  }

  /** Parses the body of an apply patch (YAML, or JSON as kubectl sends it). */
  static final ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();

  /**
   * 415 for a patch type the resource does not take, in the real server's words, which name the
   * accepted ones: custom resources take no strategic merge patch.
   */
  static MockResponse unsupportedPatch(boolean builtIn) {
    return failure(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + "application/json-patch+json, application/merge-patch+json, "
            + (builtIn ? "application/strategic-merge-patch+json, " : "") + "application/apply-patch+yaml");
  }

  /** 409 for a server-side apply that would take fields another manager applied (no force). */
  static MockResponse applyConflict(String message, List<String[]> causes) {
    ObjectNode status = status(409, "Conflict", message);
    status.remove("code");
    ArrayNode causeArray = status.putObject("details").putArray("causes");
    causes.forEach(c -> causeArray.addObject().put("reason", "FieldManagerConflict").put("message", c[0]).put("field", c[1]));
    status.put("code", 409);
    return respond(409, status);
  }

  /** 400 for an applied configuration that does not fit the request's path, else null. */
  static MockResponse refuseApplied(ObjectNode applied, ResourcePath path) {
    String apiVersion = applied.path("apiVersion").asText("");
    String kind = applied.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return failure(400, "BadRequest", "Object 'Kind' is missing in '" + applied + "'");
    }
    if (!apiVersion.equals(path.groupVersion())) {
      return failure(400, "BadRequest", "Incorrect version specified in apply patch. Specified patch version: "
          + apiVersion + ", expected: " + path.groupVersion());
    }
    String name = applied.path("metadata").path("name").asText("");
    if (!name.equals(path.name())) {
      return failure(400, "BadRequest",
          "the name of the object (" + name + ") does not match the name on the URL (" + path.name() + ")");
    }
    String namespace = applied.path("metadata").path("namespace").asText("");
    if (!namespace.isEmpty() && !namespace.equals(path.namespace())) {
      return failure(400, "BadRequest",
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    return null;
  }

  /** A query parameter's (URL-decoded) value, "" when absent. */
  static String queryParameter(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  /**
   * 422 Invalid with causes, as for a custom resource that breaks its CRD's schema or rules:
   * {@code LatticeNode.lattice.diotec360.com "n" is invalid: spec.sync: Invalid value: ...}.
   */
  static MockResponse invalid(String kind, String group, String name, List<FieldCause> causes) {
    String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
    String lines = causes.size() == 1
        ? causes.get(0).line()
        : causes.stream().map(FieldCause::line).collect(Collectors.joining(", ", "[", "]"));
    ObjectNode status = status(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + lines);
    ObjectNode details = JSON.createObjectNode().put("name", name).put("group", group).put("kind", kind);
    ArrayNode causeArray = details.putArray("causes");
    causes.forEach(c -> causeArray.addObject()
        .put("reason", c.reason()).put("message", c.message()).put("field", c.field()));
    status.remove("code");
    status.set("details", details);
    status.put("code", 422);
    return respond(422, status);
  }

  private static ObjectNode status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    return status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
  }

  private static MockResponse respond(int code, ObjectNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
