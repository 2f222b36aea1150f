package com.diotec360.lattice.embedded;

import com.diotec360.lattice.embedded.admission.FieldCause;
import com.diotec360.lattice.embedded.openapi.KindSchema;
import com.diotec360.lattice.embedded.openapi.OpenApiDocuments;
import com.diotec360.lattice.embedded.openapi.UnknownFields;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The API server's {@code fieldValidation} for a create, update or patch: unknown fields (by the
 * kind's schema, see {@link UnknownFields}) and duplicate fields (in the request body) are
 * <ul>
 *   <li>{@code Strict} (kubectl's default): refused, 400 BadRequest {@code <Kind> in version "<v>"
 *       cannot be handled as a <Kind>: strict decoding error: unknown field "spec.foo"} for a
 *       create or update, 422 {@code "" is invalid: patch: Invalid value: "<patched object>":
 *       strict decoding error: ...} for a patch;
 *   <li>{@code Warn} (the default when the parameter is absent, as since Kubernetes 1.23):
 *       dropped, each reported in a {@code Warning: 299 - "unknown field \"spec.foo\""} header;
 *   <li>{@code Ignore}: dropped silently.
 * </ul>
 */
final class FieldValidation {

  /** The outcome of one check: a refusal to answer, or the warnings to add to the answer. */
  record Outcome(MockResponse refusal, List<String> warnings) {

    static final Outcome NONE = new Outcome(null, List.of());

    /** {@code response} with a Warning header per warning. */
    MockResponse warn(MockResponse response) {
      for (String warning : warnings) {
        response.addHeader("Warning", "299 - \"" + warning.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
      }
      return response;
    }
  }

  private FieldValidation() {}

  /**
   * Checks {@code object} (the whole object to store: the body of a create or update, the
   * patched object of a patch) and {@code body} (the request body, for duplicate fields) under
   * the request's directive. Unknown fields are removed from {@code object} unless refused.
   */
  static Outcome check(OpenApiDocuments documents, ResourcePath path, String kind, boolean patch, byte[] body,
      ObjectNode object, Verb verb) {
    String directive = parameter(path.query(), "fieldValidation");
    if (!List.of("", "Ignore", "Warn", "Strict").contains(directive)) {
      String options = verb == Verb.CREATE ? "CreateOptions" : patch ? "PatchOptions" : "UpdateOptions";
      return new Outcome(ApiStatus.invalid(options, "meta.k8s.io", "", List.of(new FieldCause(
          "FieldValueNotSupported", "Unsupported value: \"" + directive
              + "\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"", "fieldValidation"))), List.of());
    }
    Optional<KindSchema> schema = documents.schema(path.groupVersion(), kind);
    String original = patch ? object.toString() : null;
    List<String> errors = UnknownFields.pruneAndReport(body, object, schema.orElse(null));
    if (errors.isEmpty() || "Ignore".equals(directive)) {
      return Outcome.NONE;
    }
    if ("Strict".equals(directive)) {
      String strict = "strict decoding error: " + String.join(", ", errors);
      if (patch) {
        return new Outcome(ApiStatus.invalid("", "", "", List.of(new FieldCause(
            "FieldValueInvalid", "Invalid value: " + goQuoted(original) + ": " + strict, "patch"))), List.of());
      }
      return new Outcome(ApiStatus.failure(400, "BadRequest", kind + " in version \"" + path.version()
          + "\" cannot be handled as a " + kind + ": " + strict), List.of());
    }
    return new Outcome(null, errors);
  }

  /** A string as Go's %q prints it (close enough for JSON text: quotes and backslashes escaped). */
  private static String goQuoted(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
  }

  private static String parameter(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }
}
