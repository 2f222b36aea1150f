package com.diotec360.lattice.embedded.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A custom resource's Table as apiextensions-apiserver renders it: Name, then the version's
 * {@code additionalPrinterColumns} (or only {@code Age} when it declares none), cells found with
 * the column's JSONPath: {@code string} columns printed as jsonpath prints (objects and arrays as
 * compact JSON), {@code integer}/{@code number}/{@code boolean} as JSON values of that type, and
 * {@code date} columns as an age ("5m") computed by the server. A missing value is an empty cell.
 */
final class CustomResourcePrinter implements Printer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Column> columns = new ArrayList<>();
  private final List<JsonPathColumn> paths = new ArrayList<>();

  /** {@code version} is one entry of the CRD's {@code spec.versions}. */
  CustomResourcePrinter(JsonNode version) {
    columns.add(Column.nameColumn());
    JsonNode declared = version == null ? null : version.get("additionalPrinterColumns");
    if (declared == null || !declared.isArray() || declared.isEmpty()) {
      columns.add(new Column("Age", "date", "", Column.CREATION_DESCRIPTION, 0));
      paths.add(JsonPathColumn.parse(".metadata.creationTimestamp"));
      return;
    }
    for (JsonNode c : declared) {
      String jsonPath = c.path("jsonPath").asText();
      String description = c.path("description").asText("");
      columns.add(new Column(
          c.path("name").asText(), c.path("type").asText(), c.path("format").asText(""),
          description.isEmpty() ? "Custom resource definition column (in JSONPath format): " + jsonPath : description,
          c.path("priority").asInt(0)));
      paths.add(JsonPathColumn.parse(jsonPath));
    }
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public void cells(JsonNode object, Instant now, ArrayNode cells) {
    cells.add(object.path("metadata").path("name").asText());
    for (int i = 0; i < paths.size(); i++) {
      JsonNode value = paths.get(i).first(object);
      if (value == null || value.isNull() || value.isMissingNode()) {
        cells.addNull();
        continue;
      }
      String type = columns.get(i + 1).type();
      switch (type) {
        case "string" -> cells.add(printed(value));
        case "integer" -> {
          if (value.isNumber()) {
            cells.add(value.asLong());
          } else {
            cells.addNull();
          }
        }
        case "number" -> {
          if (value.isIntegralNumber()) {
            cells.add(value.asLong());
          } else if (value.isNumber()) {
            cells.add(value.asDouble());
          } else {
            cells.addNull();
          }
        }
        case "boolean" -> {
          if (value.isBoolean()) {
            cells.add(value.asBoolean());
          } else {
            cells.addNull();
          }
        }
        case "date" -> {
          if (value.isTextual()) {
            cells.add(date(value.asText(), now));
          } else {
            cells.addNull();
          }
        }
        default -> cells.addNull();
      }
    }
  }

  private static String date(String text, Instant now) {
    try {
      return Ages.human(java.time.Duration.between(OffsetDateTime.parse(text).toInstant(), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** What jsonpath's PrintResults writes for one value. */
  static String printed(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    if (value.isNumber()) {
      double d = value.asDouble();
      if (d == Math.rint(d) && Math.abs(d) < 1e21) {
        return Long.toString((long) d);
      }
      return Double.toString(d);
    }
    if (value.isContainerNode()) {
      return sorted(value).toString();
    }
    return value.asText();
  }

  /** Go marshals maps with their keys sorted. */
  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      node.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
      ObjectNode out = JSON.createObjectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(n -> out.add(sorted(n)));
      return out;
    }
    return node;
  }
}
