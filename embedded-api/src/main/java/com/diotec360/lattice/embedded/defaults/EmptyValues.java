package com.diotec360.lattice.embedded.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a built-in object loses on its way through the API server's Go types: {@code null} fields,
 * empty lists ({@code env: []}, every Kubernetes list is {@code omitempty}) and empty maps
 * ({@code labels: {}}). Empty objects that are Go structs ({@code securityContext: {}},
 * {@code emptyDir: {}}, {@code resources: {}}) survive, so only fields known to be maps are
 * dropped when empty.
 */
final class EmptyValues {

  /** Fields whose Go type is a {@code map[string]...} with omitempty, in the kinds served here. */
  private static final Set<String> MAPS =
      Set.of("labels", "annotations", "matchLabels", "nodeSelector", "data", "binaryData",
          "stringData", "limits", "requests", "capacity");

  private EmptyValues() {}

  /** Removes them in place. */
  static void drop(JsonNode node) {
    if (node.isArray()) {
      node.forEach(EmptyValues::drop);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode value = object.get(name);
      drop(value);
      if (value.isNull()
          || (value.isArray() && value.isEmpty())
          || (MAPS.contains(name) && value.isObject() && value.isEmpty())) {
        object.remove(name);
      }
    }
  }
}
