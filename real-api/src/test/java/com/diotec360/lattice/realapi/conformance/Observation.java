package com.diotec360.lattice.realapi.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What one behaviour looked like on one server, as flat {@code key → value} pairs (JSON flattened
 * to paths such as {@code spec.template.spec.containers[0].imagePullPolicy}), so two servers'
 * answers can be compared key by key and only the keys that differ shown.
 */
final class Observation {

  private final Map<String, String> values = new LinkedHashMap<>();

  static Observation of() {
    return new Observation();
  }

  Observation put(String key, Object value) {
    values.put(key, String.valueOf(value));
    return this;
  }

  /** The answer's code, and for a failure its Status reason and message. */
  static Observation status(Target.Answer answer) {
    return of().status("", answer);
  }

  Observation status(String prefix, Target.Answer answer) {
    put(prefix + "code", answer.code());
    JsonNode json = answer.json();
    if ("Status".equals(json.path("kind").asText()) && answer.code() >= 300) {
      put(prefix + "reason", json.path("reason").asText());
      put(prefix + "message", message(json));
    }
    return this;
  }

  /**
   * A Status message; one that lists several causes ({@code ... is invalid: [a, b]}) with the
   * causes sorted, since the real server's order follows Go map iteration and varies from run to run.
   */
  private static String message(JsonNode status) {
    String message = status.path("message").asText();
    JsonNode causes = status.path("details").path("causes");
    int open = message.indexOf(": [");
    if (causes.size() < 2 || open < 0 || !message.endsWith("]")) {
      return message;
    }
    java.util.List<String> lines = new java.util.ArrayList<>();
    causes.forEach(c -> lines.add(c.path("field").asText("<nil>") + ": " + c.path("message").asText()));
    String listed = message.substring(open + 3, message.length() - 1);
    java.util.List<String> sorted = new java.util.ArrayList<>(lines);
    java.util.Collections.sort(sorted);
    boolean consistent = listed.equals(String.join(", ", lines));
    return message.substring(0, open + 3) + String.join(", ", sorted) + "]"
        + (consistent ? "" : " (the message does not list details.causes in order)");
  }

  /** Every leaf of {@code node} under {@code prefix}, keys sorted so order of fields does not matter. */
  Observation flatten(String prefix, JsonNode node) {
    Map<String, String> leaves = new TreeMap<>();
    flatten(prefix, node, leaves);
    values.putAll(leaves);
    return this;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node == null || node.isMissingNode()) {
      out.put(path, "<absent>");
    } else if (node.isObject()) {
      if (node.isEmpty()) {
        out.put(path, "{}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), out);
      }
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.put(path, "[]");
      }
      for (int i = 0; i < node.size(); i++) {
        flatten(path + "[" + i + "]", node.get(i), out);
      }
    } else {
      out.put(path, node.isTextual() ? node.asText() : node.toString());
    }
  }

  /** The same pairs with every value passed through {@code normalize} (names that differ by design). */
  Observation map(UnaryOperator<String> normalize) {
    Observation mapped = new Observation();
    values.forEach((k, v) -> mapped.values.put(k, normalize.apply(v)));
    return mapped;
  }

  Map<String, String> values() {
    return values;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
