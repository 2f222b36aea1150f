package com.diotec360.lattice.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The answers to a dry run ({@code dryRun=All}, what {@code kubectl diff} and
 * {@code --dry-run=server} send): the object as the write would have stored it, after the same
 * patching, defaulting and admission, with nothing stored. As on a real server, a dry-run create
 * has a uid and a creation time but no resourceVersion; an update keeps the stored
 * resourceVersion and shows the generation the write would have given.
 */
final class DryRun {

  private DryRun() {}

  static MockResponse created(ObjectNode object, String namespace) {
    ObjectNode metadata = metadata(object);
    if (!namespace.isEmpty()) {
      metadata.put("namespace", namespace);
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("generation", 1);
    metadata.remove("resourceVersion");
    return respond(201, object);
  }

  static MockResponse updated(ObjectNode next, JsonNode stored, boolean statusWrite) {
    ObjectNode metadata = metadata(next);
    JsonNode was = stored.path("metadata");
    metadata.set("uid", was.get("uid"));
    metadata.set("creationTimestamp", was.get("creationTimestamp"));
    metadata.set("resourceVersion", was.get("resourceVersion"));
    long generation = was.path("generation").asLong(1);
    metadata.put("generation", !statusWrite && !outsideMetadataAndStatus(next).equals(outsideMetadataAndStatus(stored))
        ? generation + 1 : generation);
    return respond(200, next);
  }

  static MockResponse deleted(JsonNode stored) {
    return respond(200, stored);
  }

  /** The 400 for a dryRun value other than All, in the real server's words. */
  static MockResponse unsupportedValue(String method, String value) {
    String options = switch (method.toUpperCase()) {
      case "POST" -> "CreateOptions";
      case "DELETE" -> "DeleteOptions";
      case "PATCH" -> "PatchOptions";
      default -> "UpdateOptions";
    };
    return ApiStatus.invalid(options, "meta.k8s.io", "", List.of(new com.diotec360.lattice.embedded.admission.FieldCause(
        "FieldValueNotSupported", "Unsupported value: [\"" + value + "\"]: supported values: \"All\"", "dryRun")));
  }

  private static ObjectNode metadata(ObjectNode object) {
    return object.path("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
  }

  private static JsonNode outsideMetadataAndStatus(JsonNode object) {
    ObjectNode copy = object.deepCopy();
    copy.remove("metadata");
    copy.remove("status");
    return copy;
  }

  private static MockResponse respond(int code, JsonNode body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
