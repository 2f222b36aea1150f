package com.diotec360.lattice.embedded.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Swagger 2.0 document in the protobuf form kubectl asks for
 * ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}) and decodes with
 * {@code proto.Unmarshal} into gnostic's {@code openapi_v2.Document}: kubectl accepts no JSON
 * there. Only the messages and fields this server's documents use are written; field numbers
 * are those of gnostic's {@code openapiv2/OpenAPIv2.proto}. Values of vendor extensions,
 * defaults, enums and examples travel as YAML text ({@code Any.yaml}), as the API server sends
 * them; JSON is YAML.
 */
final class OpenApiV2Protobuf {

  private OpenApiV2Protobuf() {}

  static byte[] encode(JsonNode document) {
    Message out = new Message();
    out.string(1, document.path("swagger").asText("2.0"));
    Message info = new Message();
    info.string(1, document.path("info").path("title").asText());
    info.string(2, document.path("info").path("version").asText());
    out.message(2, info);
    Message paths = new Message();
    document.path("paths").properties().forEach(p -> {
      Message named = new Message();
      named.string(1, p.getKey());
      named.message(2, pathItem(p.getValue()));
      paths.message(2, named);
    });
    out.message(8, paths);
    Message definitions = new Message();
    document.path("definitions").properties().forEach(d -> definitions.message(1, namedSchema(d)));
    out.message(9, definitions);
    return out.bytes();
  }

  private static Message pathItem(JsonNode item) {
    Message out = new Message();
    Map<String, Integer> operations = Map.of("get", 2, "put", 3, "post", 4, "delete", 5, "patch", 8);
    for (String verb : new String[] {"get", "put", "post", "delete", "patch"}) {
      if (item.has(verb)) {
        out.message(operations.get(verb), operation(item.get(verb)));
      }
    }
    item.path("parameters").forEach(p -> out.message(9, parametersItem(p)));
    return out;
  }

  private static Message operation(JsonNode op) {
    Message out = new Message();
    op.path("tags").forEach(t -> out.string(1, t.asText()));
    out.string(5, op.path("operationId").asText());
    op.path("produces").forEach(t -> out.string(6, t.asText()));
    op.path("consumes").forEach(t -> out.string(7, t.asText()));
    op.path("parameters").forEach(p -> out.message(8, parametersItem(p)));
    Message responses = new Message();
    op.path("responses").properties().forEach(r -> {
      Message response = new Message();
      response.string(1, r.getValue().path("description").asText());
      if (r.getValue().has("schema")) {
        response.message(2, new Message().message(1, schema(r.getValue().get("schema"))));
      }
      Message named = new Message();
      named.string(1, r.getKey());
      named.message(2, new Message().message(1, response));
      responses.message(1, named);
    });
    out.message(9, responses);
    op.path("schemes").forEach(t -> out.string(10, t.asText()));
    vendorExtensions(op, out, 13);
    return out;
  }

  private static Message parametersItem(JsonNode p) {
    Message parameter = new Message();
    String in = p.path("in").asText();
    if (in.equals("body")) {
      Message body = new Message();
      body.string(1, p.path("description").asText());
      body.string(2, p.path("name").asText());
      body.string(3, in);
      body.bool(4, p.path("required").asBoolean());
      body.message(5, schema(p.path("schema")));
      parameter.message(1, body);
    } else {
      Message sub = new Message();
      sub.bool(1, p.path("required").asBoolean());
      sub.string(2, in);
      sub.string(3, p.path("description").asText());
      sub.string(4, p.path("name").asText());
      boolean query = in.equals("query");
      sub.string(query ? 6 : 5, p.path("type").asText());
      sub.bool(query ? 20 : 19, p.path("uniqueItems").asBoolean());
      parameter.message(2, new Message().message(query ? 3 : 4, sub));
    }
    return new Message().message(1, parameter);
  }

  private static Message namedSchema(Map.Entry<String, JsonNode> entry) {
    Message named = new Message();
    named.string(1, entry.getKey());
    named.message(2, schema(entry.getValue()));
    return named;
  }

  private static Message schema(JsonNode s) {
    Message out = new Message();
    out.string(1, s.path("$ref").asText(""));
    out.string(2, s.path("format").asText(""));
    out.string(3, s.path("title").asText(""));
    out.string(4, s.path("description").asText(""));
    if (s.has("default")) {
      out.message(5, any(s.get("default")));
    }
    doubleField(out, 6, s.get("multipleOf"));
    doubleField(out, 7, s.get("maximum"));
    out.bool(8, s.path("exclusiveMaximum").asBoolean(false));
    doubleField(out, 9, s.get("minimum"));
    out.bool(10, s.path("exclusiveMinimum").asBoolean(false));
    longField(out, 11, s.get("maxLength"));
    longField(out, 12, s.get("minLength"));
    out.string(13, s.path("pattern").asText(""));
    longField(out, 14, s.get("maxItems"));
    longField(out, 15, s.get("minItems"));
    out.bool(16, s.path("uniqueItems").asBoolean(false));
    longField(out, 17, s.get("maxProperties"));
    longField(out, 18, s.get("minProperties"));
    s.path("required").forEach(r -> out.string(19, r.asText()));
    s.path("enum").forEach(e -> out.message(20, any(e)));
    JsonNode additional = s.get("additionalProperties");
    if (additional != null && additional.isObject()) {
      out.message(21, new Message().message(1, schema(additional)));
    } else if (additional != null && additional.isBoolean()) {
      out.message(21, new Message().boolAlways(2, additional.asBoolean()));
    }
    JsonNode type = s.get("type");
    if (type != null) {
      Message typeItem = new Message();
      if (type.isArray()) {
        type.forEach(t -> typeItem.string(1, t.asText()));
      } else {
        typeItem.string(1, type.asText());
      }
      out.message(22, typeItem);
    }
    JsonNode items = s.get("items");
    if (items != null && items.isObject()) {
      out.message(23, new Message().message(1, schema(items)));
    }
    s.path("allOf").forEach(a -> out.message(24, schema(a)));
    if (s.has("properties")) {
      Message properties = new Message();
      s.get("properties").properties().forEach(p -> properties.message(1, namedSchema(p)));
      out.message(25, properties);
    }
    if (s.has("example")) {
      out.message(30, any(s.get("example")));
    }
    vendorExtensions(s, out, 31);
    return out;
  }

  private static void vendorExtensions(JsonNode node, Message out, int field) {
    node.properties().forEach(e -> {
      if (e.getKey().startsWith("x-")) {
        Message named = new Message();
        named.string(1, e.getKey());
        named.message(2, any(e.getValue()));
        out.message(field, named);
      }
    });
  }

  private static Message any(JsonNode value) {
    return new Message().string(2, value.toString());
  }

  private static void doubleField(Message out, int field, JsonNode value) {
    if (value != null && value.isNumber()) {
      out.doubleAlways(field, value.asDouble());
    }
  }

  private static void longField(Message out, int field, JsonNode value) {
    if (value != null && value.isNumber()) {
      out.varintField(field, value.asLong());
    }
  }

  /** A protobuf message being written: fields in the order given, proto3 defaults left out. */
  static final class Message {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Message string(int field, String value) {
      if (value != null && !value.isEmpty()) {
        bytesField(field, value.getBytes(StandardCharsets.UTF_8));
      }
      return this;
    }

    Message bool(int field, boolean value) {
      if (value) {
        boolAlways(field, true);
      }
      return this;
    }

    /** A bool written even when false (a member of a oneof). */
    Message boolAlways(int field, boolean value) {
      tag(field, 0);
      varint(value ? 1 : 0);
      return this;
    }

    Message varintField(int field, long value) {
      tag(field, 0);
      varint(value);
      return this;
    }

    Message doubleAlways(int field, double value) {
      tag(field, 1);
      long bits = Double.doubleToLongBits(value);
      for (int i = 0; i < 8; i++) {
        out.write((int) (bits >>> (8 * i)) & 0xff);
      }
      return this;
    }

    Message message(int field, Message value) {
      bytesField(field, value.bytes());
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void bytesField(int field, byte[] value) {
      tag(field, 2);
      varint(value.length);
      out.write(value, 0, value.length);
    }

    private void tag(int field, int wireType) {
      varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
