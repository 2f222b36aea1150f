package com.diotec360.lattice.embedded.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simplified server-side apply ({@code application/apply-patch+yaml}). The applied
 * configuration is merged into the live object (maps key by key; every list, like every scalar,
 * is owned and replaced whole — what the LatticeNode CRD's lists are on a real server, having no
 * {@code x-kubernetes-list-type}). Each manager's last applied field set is kept in
 * {@code metadata.managedFields} (operation Apply, fieldsType FieldsV1); a field the manager
 * applied last time and no longer applies is removed unless another manager owns it. A field
 * another Apply manager owns with a different value is a conflict (409, the real message) unless
 * {@code force=true}, which takes it over. What a real server does beyond this: Update managers
 * for every other write, list-map and set granularity for built-in lists, {@code .: {}} entries.
 */
public final class ServerSideApply {

  /** Fields that name the object rather than belong to it: never in a field set. */
  private static final Set<String> IDENTITY = Set.of("apiVersion", "kind");
  private static final Set<String> METADATA_IDENTITY =
      Set.of("name", "namespace", "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation");

  /** Two managers want different values for the same fields, and force was not given. */
  public static final class Conflict extends Exception {
    private final List<String[]> causes;

    Conflict(String message, List<String[]> causes) {
      super(message);
      this.causes = causes;
    }

    /** Each cause: {manager message, field path}. */
    public List<String[]> causes() {
      return causes;
    }
  }

  private ServerSideApply() {}

  /**
   * The object after {@code manager} applied {@code applied} to {@code live} (null: absent, the
   * result is created), with its managedFields updated.
   */
  public static ObjectNode apply(ObjectNode applied, JsonNode live, String manager, boolean force, Instant now)
      throws Conflict {
    ObjectNode config = withoutNulls(applied);
    Set<List<String>> fields = new LinkedHashSet<>();
    leaves(config, new ArrayList<>(), fields, true);
    ObjectNode result;
    Map<String, ObjectNode> entries = new LinkedHashMap<>();
    if (live == null) {
      result = config.deepCopy();
      ObjectNode metadata = metadata(result);
      metadata.remove("managedFields");
    } else {
      result = (ObjectNode) live.deepCopy();
      JsonNode managed = live.path("metadata").path("managedFields");
      for (JsonNode entry : managed) {
        entries.put(key(entry), (ObjectNode) entry.deepCopy());
      }
      String own = key(manager, "Apply");
      Set<List<String>> previous = entries.containsKey(own) ? decode(entries.get(own).get("fieldsV1")) : Set.of();
      // conflicts with the other Apply managers
      List<String[]> conflicts = new ArrayList<>();
      Map<String, Set<List<String>>> taken = new LinkedHashMap<>();
      for (Map.Entry<String, ObjectNode> e : entries.entrySet()) {
        if (e.getKey().equals(own) || !"Apply".equals(e.getValue().path("operation").asText())) {
          continue;
        }
        Set<List<String>> theirs = decode(e.getValue().get("fieldsV1"));
        for (List<String> field : fields) {
          if (theirs.contains(field) && !at(live, field).equals(at(config, field))) {
            conflicts.add(new String[] {e.getValue().path("manager").asText(), render(field)});
            taken.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(field);
          }
        }
      }
      if (!conflicts.isEmpty() && !force) {
        throw conflict(conflicts);
      }
      taken.forEach((k, lost) -> {
        Set<List<String>> theirs = decode(entries.get(k).get("fieldsV1"));
        theirs.removeAll(lost);
        entries.get(k).set("fieldsV1", encode(theirs));
      });
      // fields this manager gave up: removed unless someone else still owns them
      Set<List<String>> others = new LinkedHashSet<>();
      entries.forEach((k, e) -> {
        if (!k.equals(own)) {
          others.addAll(decode(e.get("fieldsV1")));
        }
      });
      for (List<String> field : previous) {
        if (!fields.contains(field) && !others.contains(field) && fields.stream().noneMatch(f -> startsWith(f, field))) {
          remove(result, field);
        }
      }
      merge(result, config);
    }
    ObjectNode entry = JsonNodeFactory.instance.objectNode()
        .put("manager", manager)
        .put("operation", "Apply")
        .put("apiVersion", applied.path("apiVersion").asText())
        .put("time", now.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("fieldsType", "FieldsV1");
    entry.set("fieldsV1", encode(fields));
    entries.put(key(manager, "Apply"), entry);
    ArrayNode managedFields = JsonNodeFactory.instance.arrayNode();
    entries.values().stream().filter(e -> !e.path("fieldsV1").isEmpty()).forEach(managedFields::add);
    metadata(result).set("managedFields", managedFields);
    return result;
  }

  private static Conflict conflict(List<String[]> conflicts) {
    List<String[]> causes = new ArrayList<>();
    conflicts.forEach(c -> causes.add(new String[] {"conflict with \"" + c[0] + "\"", c[1]}));
    if (conflicts.size() == 1) {
      return new Conflict("Apply failed with 1 conflict: conflict with \"" + conflicts.get(0)[0] + "\": "
          + conflicts.get(0)[1], causes);
    }
    Map<String, List<String>> byManager = new java.util.TreeMap<>();
    conflicts.forEach(c -> byManager.computeIfAbsent(c[0], k -> new ArrayList<>()).add(c[1]));
    List<String> lines = new ArrayList<>();
    byManager.forEach((m, paths) -> {
      lines.add("conflicts with \"" + m + "\":");
      paths.forEach(p -> lines.add("- " + p));
    });
    return new Conflict("Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines), causes);
  }

  // ---- field sets ------------------------------------------------------------------------------

  /** The leaf paths of an applied configuration: scalars, lists and empty objects. */
  private static void leaves(JsonNode node, List<String> path, Set<List<String>> out, boolean root) {
    if (node.isObject() && !node.isEmpty()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (root && IDENTITY.contains(e.getKey())) {
          continue;
        }
        if (path.size() == 1 && path.get(0).equals("metadata") && METADATA_IDENTITY.contains(e.getKey())) {
          continue;
        }
        List<String> child = new ArrayList<>(path);
        child.add(e.getKey());
        leaves(e.getValue(), child, out, false);
      }
      return;
    }
    if (!path.isEmpty() && !(path.size() == 1 && path.get(0).equals("metadata"))) {
      out.add(List.copyOf(path));
    }
  }

  /** FieldsV1: {"f:spec":{"f:lattice":{}}}. */
  static ObjectNode encode(Set<List<String>> fields) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (List<String> field : fields) {
      ObjectNode node = root;
      for (String name : field) {
        JsonNode next = node.get("f:" + name);
        node = next instanceof ObjectNode o ? o : node.putObject("f:" + name);
      }
    }
    return root;
  }

  static Set<List<String>> decode(JsonNode fieldsV1) {
    Set<List<String>> out = new LinkedHashSet<>();
    if (fieldsV1 != null && fieldsV1.isObject()) {
      decode(fieldsV1, new ArrayList<>(), out);
    }
    return out;
  }

  private static void decode(JsonNode node, List<String> path, Set<List<String>> out) {
    boolean children = false;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().startsWith("f:")) {
        children = true;
        List<String> child = new ArrayList<>(path);
        child.add(e.getKey().substring(2));
        decode(e.getValue(), child, out);
      }
    }
    if (!children && !path.isEmpty()) {
      out.add(List.copyOf(path));
    }
  }

  private static String render(List<String> field) {
    return "." + String.join(".", field);
  }

  private static boolean startsWith(List<String> longer, List<String> prefix) {
    return longer.size() > prefix.size() && longer.subList(0, prefix.size()).equals(prefix);
  }

  // ---- objects ---------------------------------------------------------------------------------

  private static JsonNode at(JsonNode node, List<String> field) {
    JsonNode out = node;
    for (String name : field) {
      out = out.path(name);
    }
    return out;
  }

  /** Removes a field, and the objects that it leaves empty. */
  private static void remove(ObjectNode object, List<String> field) {
    List<ObjectNode> parents = new ArrayList<>();
    JsonNode node = object;
    for (int i = 0; i < field.size() - 1; i++) {
      parents.add((ObjectNode) node);
      node = node.get(field.get(i));
      if (!(node instanceof ObjectNode)) {
        return;
      }
    }
    ((ObjectNode) node).remove(field.get(field.size() - 1));
    for (int i = field.size() - 2; i >= 0 && node.isEmpty(); i--) {
      parents.get(i).remove(field.get(i));
      node = parents.get(i);
    }
  }

  private static void merge(ObjectNode target, ObjectNode config) {
    for (Map.Entry<String, JsonNode> e : config.properties()) {
      JsonNode current = target.get(e.getKey());
      if (e.getValue().isObject() && current instanceof ObjectNode o) {
        merge(o, (ObjectNode) e.getValue());
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static ObjectNode withoutNulls(ObjectNode node) {
    ObjectNode copy = node.deepCopy();
    strip(copy);
    JsonNode metadata = copy.get("metadata");
    if (metadata instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          strip(e.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(ServerSideApply::strip);
    }
  }

  private static ObjectNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    return metadata instanceof ObjectNode m ? m : object.putObject("metadata");
  }

  private static String key(JsonNode entry) {
    return key(entry.path("manager").asText(), entry.path("operation").asText())
        + (entry.has("subresource") ? "/" + entry.get("subresource").asText() : "");
  }

  private static String key(String manager, String operation) {
    return manager + "\u0000" + operation;
  }
}
