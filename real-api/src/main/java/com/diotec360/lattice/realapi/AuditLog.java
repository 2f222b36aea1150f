package com.diotec360.lattice.realapi;

import com.diotec360.lattice.embedded.Verb;
import com.diotec360.lattice.embedded.WriteLog;
import com.diotec360.lattice.embedded.Writes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes counted from the API server's own audit log, per kind and verb, per user and per
 * namespace, in the same {@link Writes} shape the embedded API counts in, so a test asserts the
 * same way on either server.
 *
 * <p>The policy ({@link #POLICY}) logs writes only, at {@code Metadata} level, and only their
 * {@code ResponseComplete} stage: one line per write. A line's {@code verb} (create, update,
 * patch, delete, deletecollection) and {@code objectRef.subresource} give the {@link Verb}
 * ({@code status} apart; other subresources such as {@code proxy} or {@code token} are not stored
 * writes and are not counted); {@code responseStatus.code} tells accepted (2xx) from refused (4xx
 * but 404). The log is read incrementally: each call reads only what was appended since the last.
 */
final class AuditLog {

  /** Writes only, metadata only, once per request. */
  static final String POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
      - level: None
        verbs: ["get", "list", "watch"]
      - level: Metadata
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Function<String, Optional<String>> kindOf;
  private final WriteLog all = new WriteLog();
  private final Map<String, WriteLog> byNamespace = new HashMap<>();
  private long offset;
  private final StringBuilder partial = new StringBuilder();

  /** {@code kindOf} maps "group/resource" (core: "/resource") to a kind, as discovery says. */
  AuditLog(Path file, Function<String, Optional<String>> kindOf) {
    this.file = file;
    this.kindOf = kindOf;
  }

  /** Every write since the server started. */
  synchronized Writes writes() {
    catchUp();
    return all.snapshot();
  }

  /** Writes to objects in one namespace (cluster-scoped objects are in none). */
  synchronized Writes writes(String namespace) {
    catchUp();
    return byNamespace.computeIfAbsent(namespace, n -> new WriteLog()).snapshot();
  }

  private void catchUp() {
    if (!Files.exists(file)) {
      return;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length < offset) {
        offset = 0; // rotated: the policy's maxsize is far above what a test run writes
      }
      in.seek(offset);
      byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - offset)];
      in.readFully(bytes);
      offset += bytes.length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + file, e);
    }
    int start = 0;
    int newline;
    while ((newline = partial.indexOf("\n", start)) >= 0) {
      String line = partial.substring(start, newline);
      start = newline + 1;
      if (!line.isBlank()) {
        record(line);
      }
    }
    partial.delete(0, start);
  }

  private void record(String line) {
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (IOException e) {
      return; // not an event line
    }
    if (!"ResponseComplete".equals(event.path("stage").asText())) {
      return;
    }
    JsonNode ref = event.path("objectRef");
    Optional<Verb> verb = verb(event.path("verb").asText(), ref.path("subresource").asText(""));
    if (verb.isEmpty() || ref.isMissingNode()) {
      return;
    }
    String resource = ref.path("apiGroup").asText("") + "/" + ref.path("resource").asText();
    String kind = kindOf.apply(resource).orElse(resource);
    int code = event.path("responseStatus").path("code").asInt(0);
    String user = event.path("impersonatedUser").path("username").asText(
        event.path("user").path("username").asText(""));
    all.record(kind, verb.get(), code, user);
    String namespace = ref.path("namespace").asText("");
    if (!namespace.isEmpty()) {
      byNamespace.computeIfAbsent(namespace, n -> new WriteLog()).record(kind, verb.get(), code, user);
    }
  }

  static Optional<Verb> verb(String verb, String subresource) {
    boolean status = subresource.equals("status");
    if (!subresource.isEmpty() && !status) {
      return Optional.empty();
    }
    return switch (verb) {
      case "create" -> status ? Optional.empty() : Optional.of(Verb.CREATE);
      case "update" -> Optional.of(status ? Verb.UPDATE_STATUS : Verb.UPDATE);
      case "patch" -> Optional.of(status ? Verb.PATCH_STATUS : Verb.PATCH);
      case "delete", "deletecollection" -> status ? Optional.empty() : Optional.of(Verb.DELETE);
      default -> Optional.empty();
    };
  }
}
