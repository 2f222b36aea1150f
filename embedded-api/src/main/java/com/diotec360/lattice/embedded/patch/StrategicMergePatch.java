package com.diotec360.lattice.embedded.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) as kube-apiserver applies
 * it to a built-in kind: {@code k8s.io/apimachinery/pkg/util/strategicpatch} with the server's
 * options (MergeParallelList, IgnoreUnmatchedNulls). Maps merge key by key and {@code null}
 * deletes; a list merges only where the Go type says so ({@link PatchMeta}): lists of maps by
 * their merge key (an element with {@code $patch: delete} removes the match, {@code $patch:
 * replace} makes the patch list the whole list), lists of scalars as a union; every other list is
 * replaced. The directives kubectl apply sends: {@code $patch: replace|delete} in a map,
 * {@code $retainKeys}, {@code $setElementOrder/<list>}, {@code $deleteFromPrimitiveList/<list>}.
 * Order: patch items in the patch's (or {@code $setElementOrder}'s) order, server-only items
 * interleaved where the live list had them, as {@code normalizeElementOrder} does.
 */
public final class StrategicMergePatch {

  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /**
   * The patched copy of {@code original}, a built-in object of {@code apiVersionAndKind}
   * ({@code apps/v1/Deployment}); the original itself is not changed.
   */
  public static JsonNode apply(JsonNode patch, JsonNode original, String apiVersionAndKind) throws PatchException {
    if (!patch.isObject()) {
      throw new PatchException("a strategic merge patch must be a JSON object", 400);
    }
    return mergeMap(original.deepCopy(), (ObjectNode) patch.deepCopy(), PatchMeta.of(apiVersionAndKind));
  }

  /** As {@link #apply(JsonNode, JsonNode, String)} with the metadata given (for tests). */
  static JsonNode apply(JsonNode patch, JsonNode original, PatchMeta meta) throws PatchException {
    return mergeMap(original.deepCopy(), (ObjectNode) patch.deepCopy(), meta);
  }

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchMeta meta) throws PatchException {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      // handleDirectiveInMergeMap
      switch (directive.asText()) {
        case "replace" -> {
          patch.remove(PATCH);
          return mergeMap(JsonNodeFactory.instance.objectNode(), patch, meta);
        }
        case "delete" -> {
          return JsonNodeFactory.instance.objectNode();
        }
        default -> throw new PatchException(
            "Unable to merge the patch: unknown patch type: " + directive.asText() + " in map: " + patch, 400);
      }
    }
    retainKeys(original, patch);
    mergeElementOrder(original, patch, meta);

    for (Map.Entry<String, JsonNode> entry : List.copyOf(patch.properties())) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (key.startsWith(SET_ELEMENT_ORDER) || key.equals(RETAIN_KEYS)) {
        continue;
      }
      boolean deleteList = key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
      if (deleteList) {
        key = key.substring(DELETE_FROM_PRIMITIVE_LIST.length());
        if (!value.isArray()) {
          throw new PatchException("invalid patch format of primitive list", 400);
        }
      }
      if (value.isNull()) {
        original.remove(key);
        continue;
      }
      JsonNode current = original.get(key);
      PatchMeta.Field field = meta.field(key);
      if (current == null || current.isNull() || current.getNodeType() != value.getNodeType()) {
        if (!deleteList) {
          original.set(key, fresh(value, field));
        }
        continue;
      }
      if (value.isObject()) {
        original.set(key, mergeMap((ObjectNode) current, (ObjectNode) value, field.type()));
      } else if (value.isArray()) {
        original.set(key, mergeListHandler((ArrayNode) current, (ArrayNode) value, field, deleteList));
      } else {
        original.set(key, value);
      }
    }
    return original;
  }

  /** A value the original does not have: taken from the patch, its directives and nulls applied. */
  private static JsonNode fresh(JsonNode value, PatchMeta.Field field) throws PatchException {
    if (value.isObject()) {
      return mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) value, field.type());
    }
    if (value.isArray()) {
      return mergeListHandler(JsonNodeFactory.instance.arrayNode(), (ArrayNode) value, field, false);
    }
    return value;
  }

  /** {@code $retainKeys}: every key of the original not listed goes. */
  private static void retainKeys(ObjectNode original, ObjectNode patch) throws PatchException {
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw new PatchException("invalid patch format of retainKeys", 400);
    }
    Set<String> keep = new HashSet<>();
    for (JsonNode k : retain) {
      if (!k.isTextual()) {
        throw new PatchException("invalid patch format of retainKeys", 400);
      }
      keep.add(k.asText());
    }
    original.retain(keep);
  }

  /** {@code $setElementOrder/<list>}: the list (merged with the patch's list, if any) in that order. */
  private static void mergeElementOrder(ObjectNode original, ObjectNode patch, PatchMeta meta) throws PatchException {
    for (Map.Entry<String, JsonNode> entry : List.copyOf(patch.properties())) {
      if (!entry.getKey().startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      if (!entry.getValue().isArray()) {
        throw new PatchException("invalid patch format of setElementOrder list", 400);
      }
      List<JsonNode> order = list((ArrayNode) entry.getValue());
      String key = entry.getKey().substring(SET_ELEMENT_ORDER.length());
      PatchMeta.Field field = meta.field(key);
      JsonNode current = original.get(key);
      JsonNode inPatch = patch.get(key);
      boolean found = current != null && current.isArray();
      boolean patchFound = inPatch != null && inPatch.isArray();
      List<JsonNode> merged;
      if (found && patchFound) {
        merged = list(mergeListHandler((ArrayNode) current, (ArrayNode) inPatch, field, false));
      } else if (found) {
        merged = list((ArrayNode) current);
      } else if (patchFound) {
        merged = list((ArrayNode) fresh(inPatch, field));
      } else {
        continue;
      }
      List<JsonNode> serverOrder = found ? list((ArrayNode) current) : List.of();
      String mergeKey = field.mergeKey();
      List<JsonNode> patchItems = new ArrayList<>();
      List<JsonNode> serverOnly = new ArrayList<>();
      for (JsonNode item : merged) {
        (index(order, item, mergeKey) >= 0 ? patchItems : serverOnly).add(item);
      }
      original.set(key, array(normalizeElementOrder(patchItems, serverOnly, order, serverOrder, mergeKey)));
      patch.remove(key);
    }
  }

  private static ArrayNode mergeListHandler(ArrayNode original, ArrayNode patch, PatchMeta.Field field,
      boolean deleteList) throws PatchException {
    if (!field.merge() && !deleteList) {
      ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
      for (JsonNode element : patch) {
        replaced.add(element.isObject() ? mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) element.deepCopy(),
            field.type()) : element);
      }
      return replaced;
    }
    return array(mergeList(list(original), list(patch), field, deleteList));
  }

  /** mergeSlice: scalars as a union (or a deletion list), maps by their merge key. */
  private static List<JsonNode> mergeList(List<JsonNode> original, List<JsonNode> patch, PatchMeta.Field field,
      boolean deleteList) throws PatchException {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    boolean maps = (!original.isEmpty() ? original.get(0) : patch.get(0)).isObject();
    for (JsonNode element : original) {
      checkElement(element, maps);
    }
    for (JsonNode element : patch) {
      checkElement(element, maps);
    }
    String mergeKey = field.mergeKey();
    List<JsonNode> merged;
    if (!maps) {
      if (deleteList) {
        List<JsonNode> kept = new ArrayList<>(original);
        kept.removeIf(patch::contains);
        return kept;
      }
      merged = new ArrayList<>();
      for (JsonNode element : original) {
        if (!merged.contains(element)) {
          merged.add(element);
        }
      }
      for (JsonNode element : patch) {
        if (!merged.contains(element)) {
          merged.add(element);
        }
      }
    } else {
      if (mergeKey == null) {
        throw new PatchException("cannot merge lists without merge key");
      }
      // mergeSliceWithSpecialElements
      List<JsonNode> plain = new ArrayList<>();
      boolean replace = false;
      List<JsonNode> base = new ArrayList<>(original);
      for (JsonNode element : patch) {
        JsonNode directive = element.get(PATCH);
        if (directive == null) {
          plain.add(element);
          continue;
        }
        switch (directive.asText()) {
          case "delete" -> {
            JsonNode value = element.get(mergeKey);
            if (value == null) {
              throw new PatchException("map: " + element + " does not contain declared merge key: " + mergeKey, 400);
            }
            base.removeIf(e -> value.equals(e.get(mergeKey)));
          }
          case "replace" -> replace = true;
          case "merge" -> throw new PatchException("merging lists cannot yet be specified in the patch");
          default -> throw new PatchException(
              "Unable to merge the patch: unknown patch type: " + directive.asText() + " in map: " + element, 400);
        }
      }
      if (replace) {
        base = new ArrayList<>();
        for (JsonNode element : plain) {
          base.add(mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) element, field.type()));
        }
        plain = List.of();
      }
      original = base;
      // mergeSliceWithoutSpecialElements
      merged = new ArrayList<>(base);
      for (JsonNode element : plain) {
        JsonNode value = element.get(mergeKey);
        if (value == null) {
          throw new PatchException("map: " + element + " does not contain declared merge key: " + mergeKey, 400);
        }
        int at = index(merged, element, mergeKey);
        if (at >= 0) {
          merged.set(at, mergeMap((ObjectNode) merged.get(at), (ObjectNode) element, field.type()));
        } else {
          merged.add(mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) element, field.type()));
        }
      }
    }
    List<JsonNode> patchItems = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) {
      (index(patch, item, maps ? mergeKey : null) >= 0 ? patchItems : serverOnly).add(item);
    }
    return normalizeElementOrder(patchItems, serverOnly, patch, original, maps ? mergeKey : null);
  }

  private static void checkElement(JsonNode element, boolean maps) throws PatchException {
    if (element.isArray()) {
      throw new PatchException("lists of lists are not supported");
    }
    if (element.isObject() != maps) {
      throw new PatchException("the list mixes maps and scalars: " + element);
    }
  }

  /**
   * normalizeElementOrder: the patch items sorted by {@code patchOrder}, the server-only items by
   * {@code serverOrder}, then each server-only item inserted before the first patch item the live
   * list had after it (mergeSortedSlice).
   */
  private static List<JsonNode> normalizeElementOrder(List<JsonNode> patchItems, List<JsonNode> serverOnly,
      List<JsonNode> patchOrder, List<JsonNode> serverOrder, String mergeKey) {
    List<JsonNode> right = sorted(patchItems, patchOrder, mergeKey);
    List<JsonNode> left = sorted(serverOnly, serverOrder, mergeKey);
    List<JsonNode> out = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (i >= left.size()) {
        out.add(right.get(j++));
      } else if (j >= right.size()) {
        out.add(left.get(i++));
      } else {
        int li = index(serverOrder, left.get(i), mergeKey);
        int ri = index(serverOrder, right.get(j), mergeKey);
        if (li >= 0 && ri >= 0 && li < ri) {
          out.add(left.get(i++));
        } else {
          out.add(right.get(j++));
        }
      }
    }
    return out;
  }

  private static List<JsonNode> sorted(List<JsonNode> items, List<JsonNode> order, String mergeKey) {
    List<JsonNode> copy = new ArrayList<>(items);
    copy.sort(Comparator.comparingInt(item -> {
      int at = index(order, item, mergeKey);
      return at < 0 ? Integer.MAX_VALUE : at;
    }));
    return copy;
  }

  /** Where {@code item} is in {@code list}: by merge key for maps, by value for scalars; -1 if absent. */
  private static int index(List<JsonNode> list, JsonNode item, String mergeKey) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode candidate = list.get(i);
      if (mergeKey == null || !item.isObject()) {
        if (candidate.equals(item)) {
          return i;
        }
      } else if (candidate.isObject() && item.get(mergeKey) != null && item.get(mergeKey).equals(candidate.get(mergeKey))) {
        return i;
      }
    }
    return -1;
  }

  private static List<JsonNode> list(ArrayNode array) {
    List<JsonNode> out = new ArrayList<>(array.size());
    array.forEach(out::add);
    return out;
  }

  private static ArrayNode array(List<JsonNode> items) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    items.forEach(array::add);
    return array;
  }
}
