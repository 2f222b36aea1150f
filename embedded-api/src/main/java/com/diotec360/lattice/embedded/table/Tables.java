package com.diotec360.lattice.embedded.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@code meta.k8s.io} Tables kube-apiserver answers when a GET or a watch asks for
 * {@code as=Table}: columnDefinitions (name, type, format, description, priority), one row per
 * object with its cells and the object as {@code PartialObjectMetadata} ({@code includeObject=Metadata},
 * the default), the whole object ({@code Object}) or nothing ({@code None}).
 */
public final class Tables {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Tables() {}

  /**
   * The printer for a resource: kube-apiserver's for the built-ins it has one for, the CRD's
   * columns for a custom resource ({@code crdVersion}: the served entry of its {@code spec.versions}),
   * else NAME and AGE.
   */
  public static Printer printer(String group, String plural, Optional<JsonNode> crdVersion) {
    if (crdVersion.isPresent()) {
      return new CustomResourcePrinter(crdVersion.get());
    }
    return BuiltInPrinters.of(group, plural).orElseGet(BuiltInPrinters::nameAndAge);
  }

  /** True when {@code includeObject} is a value the real server accepts. */
  public static boolean validIncludeObject(String includeObject) {
    return includeObject == null || List.of("", "None", "Metadata", "Object").contains(includeObject);
  }

  /**
   * A Table of {@code objects}; {@code headers} false leaves {@code columnDefinitions} null, as
   * the server does for every watch event after the first.
   */
  public static ObjectNode table(
      TableFormat format, Printer printer, List<JsonNode> objects, String resourceVersion, String includeObject,
      boolean headers, Instant now) {
    ObjectNode table = JSON.createObjectNode()
        .put("kind", "Table")
        .put("apiVersion", "meta.k8s.io/" + format.version());
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    if (headers) {
      ArrayNode columns = table.putArray("columnDefinitions");
      for (Column c : printer.columns()) {
        columns.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
            .put("description", c.description()).put("priority", c.priority());
      }
    } else {
      table.putNull("columnDefinitions");
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      printer.cells(object, now, row.putArray("cells"));
      switch (includeObject == null ? "" : includeObject) {
        case "Object" -> row.set("object", object);
        case "None" -> row.putNull("object");
        default -> {
          ObjectNode partial = row.putObject("object")
              .put("kind", "PartialObjectMetadata")
              .put("apiVersion", "meta.k8s.io/" + format.version());
          partial.set("metadata", object.path("metadata").isObject() ? object.get("metadata") : JSON.createObjectNode());
        }
      }
    }
    return table;
  }
}
