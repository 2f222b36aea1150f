package com.diotec360.lattice.embedded.openapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the API server's strict decoding finds in a written object: fields its kind's schema does
 * not declare ({@code unknown field "spec.foo"}) and names repeated within one JSON object
 * ({@code duplicate field "spec.replicas"}). Paths are written as the API server writes them:
 * dotted, list elements as {@code [i]}.
 *
 * <p>For a custom resource the rules are those of the CRD's structural pruning: a field is known
 * when {@code properties} names it or {@code additionalProperties} covers it, and anything goes
 * under {@code x-kubernetes-preserve-unknown-fields}; {@code metadata} is checked against
 * ObjectMeta. Built-in kinds follow their {@link BuiltInKinds} schema the same way.
 */
public final class UnknownFields {

  private static final JsonFactory FACTORY = new JsonFactory();

  private UnknownFields() {}

  /** The strict decoding errors of a write, in the API server's words, unknown fields pruned from {@code object}. */
  public static List<String> pruneAndReport(byte[] body, JsonNode object, KindSchema schema) {
    List<String> errors = new ArrayList<>();
    if (body != null) {
      duplicates(body).forEach(path -> errors.add("duplicate field \"" + path + "\""));
    }
    if (schema != null) {
      prune(object, schema).forEach(path -> errors.add("unknown field \"" + path + "\""));
    }
    return errors;
  }

  /** Drops the fields {@code schema} does not declare and returns their paths, in document order. */
  public static List<String> prune(JsonNode object, KindSchema schema) {
    List<String> unknown = new ArrayList<>();
    walk(object, schema.root(), schema, "", true, unknown);
    return unknown;
  }

  private static void walk(JsonNode node, JsonNode rawSchema, KindSchema kind, String path, boolean root,
      List<String> unknown) {
    JsonNode schema = kind.resolve(rawSchema);
    if (node.isArray()) {
      JsonNode items = schema.get("items");
      if (items != null && items.isObject()) {
        for (int i = 0; i < node.size(); i++) {
          walk(node.get(i), items, kind, path + "[" + i + "]", false, unknown);
        }
      }
      return;
    }
    if (!node.isObject() || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return;
    }
    boolean embedded = root || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    ObjectNode object = (ObjectNode) node;
    for (String name : names(object)) {
      String childPath = path.isEmpty() ? name : path + "." + name;
      JsonNode child = properties.get(name);
      if (child == null && additional.isObject()) {
        child = additional;
      }
      if (child == null && embedded && (name.equals("apiVersion") || name.equals("kind"))) {
        continue;
      }
      if (child == null) {
        if (!additional.asBoolean(false)) {
          object.remove(name);
          unknown.add(childPath);
        }
        continue;
      }
      walk(object.get(name), child, kind, childPath, false, unknown);
    }
  }

  /** Paths of names repeated within one JSON object, in document order (each reported once). */
  public static List<String> duplicates(byte[] body) {
    List<String> found = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(body)) {
      Deque<Frame> stack = new ArrayDeque<>();
      String pendingName = null;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Frame top = stack.peek();
        switch (token) {
          case FIELD_NAME -> {
            pendingName = parser.currentName();
            String path = top.childPath(pendingName);
            if (!top.names.add(pendingName) && !found.contains(path)) {
              found.add(path);
            }
          }
          case START_OBJECT, START_ARRAY -> {
            String path = top == null ? "" : top.array ? top.path + "[" + top.index++ + "]" : top.childPath(pendingName);
            stack.push(new Frame(path, token == JsonToken.START_ARRAY));
          }
          case END_OBJECT, END_ARRAY -> stack.pop();
          default -> {
            if (top != null && top.array) {
              top.index++;
            }
          }
        }
      }
    } catch (IOException e) {
      return found; // not JSON: the caller refuses the body for that reason
    }
    return found;
  }

  private static final class Frame {
    final String path;
    final boolean array;
    final Set<String> names = new HashSet<>();
    int index;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String childPath(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }
  }

  private static List<String> names(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
