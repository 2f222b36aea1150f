package com.diotec360.lattice.embedded.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Patch as the API server applies {@code application/json-patch+json}: RFC 6902 as
 * evanphx/json-patch v4 (kube-apiserver's library) reads it. {@code add} needs the parent to exist
 * (an array index may be at most the array's size, {@code -} appends), {@code remove} needs the
 * target, {@code test} compares, {@code move} and {@code copy} need their source. {@code replace}
 * needs the parent and, in a list, the index, but not the key of an object: a real v1.36 server
 * replaces an absent key by adding it (checked by the conformance suite), where RFC 6902 would
 * refuse. The fabric8 mock instead creates missing parents, so a patch that a real server refuses
 * passes there. A body that is not a list → 400, as the server cannot decode it.
 */
public final class JsonPatch {

  private JsonPatch() {}

  /** The patched copy of {@code document}; the document itself is not changed. */
  public static JsonNode apply(JsonNode patch, JsonNode document) throws PatchException {
    if (!patch.isArray()) {
      throw new PatchException("error decoding patch: json: cannot unmarshal " + goType(patch)
          + " into Go value of type []handlers.jsonPatchOp", 400);
    }
    JsonNode result = document.deepCopy();
    for (JsonNode operation : patch) {
      result = applyOne(operation, result);
    }
    return result;
  }

  private static JsonNode applyOne(JsonNode operation, JsonNode document) throws PatchException {
    String op = text(operation, "op");
    List<String> path = pointer(text(operation, "path"));
    switch (op) {
      case "add" -> {
        return add(document, path, value(operation));
      }
      case "remove" -> {
        return remove(document, path);
      }
      case "replace" -> {
        JsonNode parent = path.isEmpty() ? null : get(document, path.subList(0, path.size() - 1));
        if (parent != null && parent.isObject() && !parent.has(path.get(path.size() - 1))) {
          return add(document, path, value(operation)); // evanphx/json-patch v4, as the server
        }
        return add(remove(document, path), path, value(operation));
      }
      case "test" -> {
        JsonNode actual = get(document, path);
        if (!actual.equals(value(operation))) {
          throw new PatchException("testing value " + text(operation, "path") + " failed");
        }
        return document;
      }
      case "move" -> {
        List<String> from = pointer(text(operation, "from"));
        if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
          throw new PatchException("cannot move " + text(operation, "from") + " into one of its children");
        }
        JsonNode value = get(document, from);
        return add(remove(document, from), path, value.deepCopy());
      }
      case "copy" -> {
        JsonNode value = get(document, pointer(text(operation, "from")));
        return add(document, path, value.deepCopy());
      }
      default -> throw new PatchException("unknown JSON patch operation \"" + op + "\"");
    }
  }

  private static JsonNode add(JsonNode document, List<String> path, JsonNode value) throws PatchException {
    if (path.isEmpty()) {
      return value.deepCopy();
    }
    JsonNode parent = get(document, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    if (parent.isObject()) {
      ((ObjectNode) parent).set(last, value.deepCopy());
    } else if (parent.isArray()) {
      ArrayNode array = (ArrayNode) parent;
      if ("-".equals(last)) {
        array.add(value.deepCopy());
      } else {
        int index = index(last, array.size(), true);
        array.insert(index, value.deepCopy());
      }
    } else {
      throw new PatchException("add operation does not apply: " + render(path) + " has no object or array parent");
    }
    return document;
  }

  private static JsonNode remove(JsonNode document, List<String> path) throws PatchException {
    if (path.isEmpty()) {
      throw new PatchException("cannot remove the whole document");
    }
    JsonNode parent = get(document, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    if (parent.isObject() && parent.has(last)) {
      ((ObjectNode) parent).remove(last);
    } else if (parent.isArray()) {
      ((ArrayNode) parent).remove(index(last, parent.size(), false));
    } else {
      throw new PatchException("doc is missing path: \"" + render(path) + "\": missing value");
    }
    return document;
  }

  private static JsonNode get(JsonNode document, List<String> path) throws PatchException {
    JsonNode node = document;
    for (int i = 0; i < path.size(); i++) {
      String token = path.get(i);
      JsonNode next;
      if (node.isObject()) {
        next = node.get(token);
      } else if (node.isArray()) {
        next = node.get(index(token, node.size(), false));
      } else {
        next = null;
      }
      if (next == null) {
        throw new PatchException("doc is missing path: \"" + render(path.subList(0, i + 1)) + "\": missing value");
      }
      node = next;
    }
    return node;
  }

  private static int index(String token, int size, boolean forAdd) throws PatchException {
    if (!token.matches("0|[1-9][0-9]*")) {
      throw new PatchException("invalid array index \"" + token + "\"");
    }
    long index = Long.parseLong(token);
    if (index > size || (!forAdd && index == size)) {
      throw new PatchException("array index " + token + " out of bounds (size " + size + ")");
    }
    return (int) index;
  }

  private static JsonNode value(JsonNode operation) throws PatchException {
    if (!operation.has("value")) {
      throw new PatchException("operation \"" + operation.path("op").asText() + "\" needs a value");
    }
    return operation.get("value");
  }

  private static String text(JsonNode operation, String field) throws PatchException {
    JsonNode node = operation.get(field);
    if (node == null || !node.isTextual()) {
      throw new PatchException("operation is missing \"" + field + "\": " + operation);
    }
    return node.asText();
  }

  /** RFC 6901: "" is the whole document; otherwise "/"-separated, ~1 is "/", ~0 is "~". */
  static List<String> pointer(String pointer) throws PatchException {
    List<String> tokens = new ArrayList<>();
    if (pointer.isEmpty()) {
      return tokens;
    }
    if (!pointer.startsWith("/")) {
      throw new PatchException("a JSON pointer must start with '/': \"" + pointer + "\"");
    }
    for (String token : pointer.substring(1).split("/", -1)) {
      tokens.add(token.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  /** What Go's encoding/json calls a JSON value's type in its unmarshal errors. */
  private static String goType(JsonNode value) {
    return value.isObject() ? "object" : value.isTextual() ? "string" : value.isNumber() ? "number"
        : value.isBoolean() ? "bool" : "null";
  }

  private static String render(List<String> path) {
    StringBuilder out = new StringBuilder();
    for (String token : path) {
      out.append('/').append(token.replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }
}
