package com.diotec360.lattice.embedded.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API server does to a custom resource of one CRD before it stores it: prune what the
 * schema does not declare, fill in schema defaults, then validate against the OpenAPI schema and
 * every CEL rule ({@code x-kubernetes-validations}); transition rules ({@code oldSelf}) only on an
 * update, and only where the old object has the value too.
 */
public final class CustomResourceAdmission {

  private record Version(JsonNode schema, JsonSchema jsonSchema, List<CrdValidationRule> rules) {}

  private final String kind;
  private final String group;
  private final boolean statusSubresource;
  private final Map<String, Version> versions = new HashMap<>();

  private CustomResourceAdmission(CustomResourceDefinition crd) {
    this.kind = crd.getSpec().getNames().getKind();
    this.group = crd.getSpec().getGroup();
    boolean status = false;
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
        status = true;
      }
      if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
        continue;
      }
      JsonNode schema = Serialization.jsonMapper().valueToTree(version.getSchema().getOpenAPIV3Schema());
      versions.put(
          version.getName(),
          new Version(schema, CrdValidator.jsonSchema(schema), CrdValidationRule.collect(schema)));
    }
    this.statusSubresource = status;
  }

  public static CustomResourceAdmission of(CustomResourceDefinition crd) {
    return new CustomResourceAdmission(crd);
  }

  public String kind() {
    return kind;
  }

  public String group() {
    return group;
  }

  /** True when the CRD declares {@code subresources.status}. */
  public boolean hasStatusSubresource() {
    return statusSubresource;
  }

  /** Prunes and defaults the object in place, as the API server does on every write. */
  public void mutate(JsonNode object, String version) {
    Version v = versions.get(version);
    if (v != null) {
      SchemaPruner.prune(object, v.schema());
      SchemaDefaulter.apply(object, v.schema());
    }
  }

  /**
   * Why the API server would refuse the object; empty when it would store it. As
   * apiextensions-apiserver does: the schema first; CEL rules only when no schema error could make
   * them unsafe to run (an unsupported value, a missing, too long, too many or mistyped field),
   * else one more cause says they were not checked.
   */
  public List<FieldCause> validate(JsonNode object, JsonNode old, String version) {
    Version v = versions.get(version);
    if (v == null) {
      return List.of();
    }
    List<FieldCause> causes = new ArrayList<>();
    v.jsonSchema().validate(object).stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
            .thenComparing(ValidationMessage::getMessage))
        .forEach(message -> causes.add(schemaCause(message)));
    if (causes.stream().anyMatch(c -> BLOCKING.contains(c.reason()))) {
      causes.add(new FieldCause("FieldValueInvalid", "Invalid value: null: some validation rules were not checked"
          + " because the object was invalid; correct the existing errors to complete validation", "<nil>"));
      return causes;
    }
    for (CrdValidationRule rule : v.rules()) {
      List<CrdValidationRule.Located> olds = rule.isTransitionRule() && old != null ? rule.locate(old) : List.of();
      if (rule.isTransitionRule() && old == null) {
        continue;
      }
      for (CrdValidationRule.Located located : rule.locate(object)) {
        JsonNode oldSelf = null;
        if (rule.isTransitionRule()) {
          oldSelf = olds.stream().filter(o -> o.field().equals(located.field()))
              .map(CrdValidationRule.Located::value).findFirst().orElse(null);
          if (oldSelf == null) {
            continue; // a transition rule runs only where the old object had the value
          }
        }
        if (!CelRuleEvaluator.holds(rule, located.value(), oldSelf)) {
          String message = CelRuleEvaluator.messageFor(rule, located.value(), oldSelf);
          causes.add(new FieldCause("FieldValueInvalid", invalidValue(located.value()) + message, located.field()));
        }
      }
    }
    return causes;
  }

  /** Schema errors after which apiextensions-apiserver does not run CEL rules ({@code hasBlockingErr}). */
  private static final java.util.Set<String> BLOCKING = java.util.Set.of(
      "FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany",
      "FieldValueTypeInvalid");

  /**
   * {@code Invalid value: <value>: } as a failed CEL rule reads on a v1.36 server: a scalar is
   * shown (strings quoted), an object or a list is not.
   */
  private static String invalidValue(JsonNode value) {
    if (value == null || value.isContainerNode() || value.isMissingNode()) {
      return "Invalid value: ";
    }
    return "Invalid value: " + value + ": ";
  }

  /**
   * One schema error in kube-openapi's words, as kube-apiserver reports it for a custom resource:
   * {@code spec.x in body should be less than or equal to 65535}, {@code Too long: may not be more
   * than 50 bytes}, {@code Unsupported value: "fast": supported values: "auto", "http"}.
   */
  private static FieldCause schemaCause(ValidationMessage message) {
    String location = message.getInstanceLocation().toString();
    String field = location.startsWith("$.") ? location.substring(2) : "<nil>";
    JsonNode value = message.getInstanceNode();
    Object[] arguments = message.getArguments() == null ? new Object[0] : message.getArguments();
    String argument = arguments.length > 0 ? String.valueOf(arguments[0]) : "";
    String inBody = field + " in body ";
    return switch (message.getType()) {
      case "required" -> new FieldCause(
          "FieldValueRequired", "Required value",
          ("<nil>".equals(field) ? "" : field + ".") + message.getProperty());
      case "enum" -> new FieldCause(
          "FieldValueNotSupported", "Unsupported value: " + goValue(value) + ": supported values: "
              + enumValues(message), field);
      case "type" -> new FieldCause(
          "FieldValueTypeInvalid", "Invalid value: " + typeName(value) + ": " + inBody + "must be of type "
              + goType(message) + ": " + typeName(value), field);
      case "maxLength" -> new FieldCause(
          "FieldValueTooLong", "Too long: may not be more than " + argument + " bytes", field);
      case "maxItems" -> new FieldCause(
          "FieldValueTooMany", "Too many: " + value.size() + ": must have at most " + argument + " items", field);
      case "maximum" -> invalid(value, inBody + "should be less than or equal to " + number(argument), field);
      case "minimum" -> invalid(value, inBody + "should be greater than or equal to " + number(argument), field);
      case "exclusiveMaximum" -> invalid(value, inBody + "should be less than " + number(argument), field);
      case "exclusiveMinimum" -> invalid(value, inBody + "should be greater than " + number(argument), field);
      case "pattern" -> invalid(value, inBody + "should match '" + argument + "'", field);
      case "minLength" -> invalid(value, inBody + "should be at least " + argument + " chars long", field);
      case "minItems" -> invalid(value, inBody + "should have at least " + argument + " items", field);
      case "format" -> invalid(value, inBody + "must be of type " + argument + ": " + goValue(value), field);
      default -> invalid(value, message.getMessage().replaceFirst("^\\$\\.\\S*: ", ""), field);
    };
  }

  private static FieldCause invalid(JsonNode value, String detail, String field) {
    return new FieldCause("FieldValueInvalid", "Invalid value: " + goValue(value) + ": " + detail, field);
  }

  /** 65535.0 (how the schema holds it) as Go prints the bound: 65535. */
  private static String number(String bound) {
    return bound.matches("-?\\d+\\.0") ? bound.substring(0, bound.length() - 2) : bound;
  }

  /** The enum's values as Go quotes them: "auto", "http", "p2p". */
  private static String enumValues(ValidationMessage message) {
    JsonNode schema = message.getSchemaNode();
    JsonNode enumNode = schema == null ? null : schema.isArray() ? schema : schema.get("enum");
    if (enumNode == null || !enumNode.isArray()) {
      return String.valueOf(message.getArguments()[0]).replaceAll("^\\[|]$", "");
    }
    List<String> values = new ArrayList<>();
    enumNode.forEach(v -> values.add(v.toString()));
    return String.join(", ", values);
  }

  /** The type the schema wants, as OpenAPI names it (integer, string, object, ...). */
  private static String goType(ValidationMessage message) {
    JsonNode type = message.getSchemaNode() == null ? null : message.getSchemaNode().get("type");
    return type == null ? String.valueOf(message.getArguments()[1]) : type.asText();
  }

  /** The OpenAPI type of a value, quoted, as a type error names what it found: "string". */
  private static String typeName(JsonNode value) {
    String type = value == null || value.isNull() ? "null" : value.isTextual() ? "string"
        : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number" : value.isBoolean() ? "boolean"
        : value.isArray() ? "array" : "object";
    return "\"" + type + "\"";
  }

  /** A value as the API server prints it in messages: strings quoted, objects by type name. */
  private static String goValue(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "null";
    }
    if (value.isObject()) {
      return "\"object\"";
    }
    if (value.isArray()) {
      return "\"array\"";
    }
    return value.toString();
  }
}
