package com.diotec360.lattice.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps Secret values out of a report, two ways:
 * <ol>
 *   <li>every Secret is rewritten before it is written: each {@code data} value becomes
 *       {@code REDACTED (n bytes)}, {@code stringData} goes, and so does the
 *       {@code kubectl.kubernetes.io/last-applied-configuration} annotation (it repeats the data);
 *   <li>every value it saw (base64 as stored and decoded, when at least 4 characters long) is
 *       remembered, and {@link #scrub} replaces it in any other text (logs, ConfigMaps, Events),
 *       in case a value leaked somewhere else.
 * </ol>
 */
final class Redactor {

  static final String MARK = "REDACTED";
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final int SHORTEST = 4;

  /** Longest first, so a value that contains another is replaced whole. */
  private final Set<String> secrets = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));

  /** A redacted copy of a Secret (as JSON); remembers its values. */
  JsonNode secret(JsonNode secret) {
    ObjectNode copy = secret.deepCopy();
    JsonNode data = copy.path("data");
    if (data.isObject()) {
      ObjectNode redacted = copy.putObject("data");
      data.fields().forEachRemaining(e -> {
        String encoded = e.getValue().asText();
        remember(encoded);
        byte[] raw;
        try {
          raw = Base64.getDecoder().decode(encoded);
          remember(new String(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
          raw = encoded.getBytes(StandardCharsets.UTF_8);
        }
        redacted.put(e.getKey(), MARK + " (" + raw.length + " bytes)");
      });
    }
    JsonNode stringData = copy.path("stringData");
    if (stringData.isObject()) {
      stringData.fields().forEachRemaining(e -> remember(e.getValue().asText()));
      copy.remove("stringData");
    }
    JsonNode annotations = copy.path("metadata").path("annotations");
    if (annotations.isObject() && annotations.has(LAST_APPLIED)) {
      ((ObjectNode) annotations).put(LAST_APPLIED, MARK);
    }
    ((ObjectNode) copy.path("metadata")).remove("managedFields");
    return copy;
  }

  private void remember(String value) {
    if (value != null && value.strip().length() >= SHORTEST) {
      secrets.add(value.strip());
    }
  }

  /** {@code text} with every remembered Secret value replaced by {@value #MARK}. */
  String scrub(String text) {
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MARK);
      }
    }
    return out;
  }
}
