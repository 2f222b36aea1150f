package com.diotec360.lattice.embedded.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON merge patch as RFC 7386 defines it ({@code application/merge-patch+json}): an object merges
 * key by key, {@code null} deletes the key, anything else (arrays included) replaces the value.
 * The fabric8 mock keeps keys set to null and appends arrays.
 */
public final class MergePatch {

  private MergePatch() {}

  /** The patched copy of {@code target}; the target itself is not changed. */
  public static JsonNode apply(JsonNode patch, JsonNode target) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject() ? (ObjectNode) target.deepCopy() : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), apply(field.getValue(), result.get(field.getKey())));
      }
    }
    return result;
  }
}
