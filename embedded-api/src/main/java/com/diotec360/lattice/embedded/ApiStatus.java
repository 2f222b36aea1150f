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

  /** 422 Invalid for a patch that cannot be applied. */
  static MockResponse patchNotApplicable() {
    return failure(422, "Invalid", PATCH_REJECTED);
  }

  /** 415 for patch types this server does not implement, naming the ones it does. */
  static MockResponse unsupportedPatch(String contentType) {
    return failure(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format (" + contentType + ") - accepted media types include:"
            + " application/json-patch+json, application/merge-patch+json (this embedded API implements no"
            + " strategic merge patch and no server-side apply)");
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
