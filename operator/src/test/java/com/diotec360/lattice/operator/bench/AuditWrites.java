package com.diotec360.lattice.operator.bench;

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

/**
 * Writes as the real API server's audit log records them (the harness logs every write once, at
 * its {@code ResponseComplete} stage; see real-api's {@code AuditLog}), with the answer's HTTP code
 * kept, which {@code RealApiServer.writes()} folds into "refused". Read incrementally: each call
 * reads only what was appended since the last one.
 */
final class AuditWrites {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<WriteTally.Key, Long> counts = new HashMap<>();
  private final StringBuilder partial = new StringBuilder();
  private long offset;

  AuditWrites(Path file) {
    this.file = file;
  }

  synchronized WriteTally tally() {
    catchUp();
    return new WriteTally(counts);
  }

  private void catchUp() {
    if (!Files.exists(file)) {
      return;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      while (offset < length) {
        byte[] bytes = new byte[(int) Math.min(64L << 20, length - offset)];
        in.seek(offset);
        in.readFully(bytes);
        offset += bytes.length;
        partial.append(new String(bytes, StandardCharsets.UTF_8));
        int start = 0;
        int newline;
        while ((newline = partial.indexOf("\n", start)) >= 0) {
          record(partial.substring(start, newline));
          start = newline + 1;
        }
        partial.delete(0, start);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + file, e);
    }
  }

  private void record(String line) {
    if (line.isBlank()) {
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (IOException e) {
      return;
    }
    if (!"ResponseComplete".equals(event.path("stage").asText())) {
      return;
    }
    String verb = event.path("verb").asText();
    if (!verb.equals("create") && !verb.equals("update") && !verb.equals("patch")
        && !verb.equals("delete") && !verb.equals("deletecollection")) {
      return;
    }
    JsonNode ref = event.path("objectRef");
    String sub = ref.path("subresource").asText("");
    if (!sub.isEmpty() && !sub.equals("status")) {
      return; // token, proxy, eviction...: not a stored object's write
    }
    String resource = ref.path("resource").asText() + (sub.isEmpty() ? "" : "/" + sub);
    String user = event.path("impersonatedUser").path("username")
        .asText(event.path("user").path("username").asText(""));
    int code = event.path("responseStatus").path("code").asInt(0);
    counts.merge(new WriteTally.Key(user, ref.path("namespace").asText(""), resource, verb, code), 1L, Long::sum);
  }
}
