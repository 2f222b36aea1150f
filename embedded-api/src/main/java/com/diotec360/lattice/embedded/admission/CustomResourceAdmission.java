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

  /** Why the API server would refuse the object; empty when it would store it. */
  public List<FieldCause> validate(JsonNode object, JsonNode old, String version) {
    Version v = versions.get(version);
    if (v == null) {
      return List.of();
    }
    List<FieldCause> causes = new ArrayList<>();
    v.jsonSchema().validate(object).stream()
        .sorted(Comparator.comparing(ValidationMessage::getMessage))
        .forEach(message -> causes.add(schemaCause(message)));
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
          causes.add(new FieldCause(
              "FieldValueInvalid", "Invalid value: \"" + rule.type() + "\": " + message, located.field()));
        }
      }
    }
    return causes;
  }

  private static FieldCause schemaCause(ValidationMessage message) {
    String location = message.getInstanceLocation().toString();
    String field = location.startsWith("$.") ? location.substring(2) : "<nil>";
    String text = message.getMessage();
    if (text.startsWith(location + ": ")) {
      text = text.substring(location.length() + 2);
    }
    JsonNode value = message.getInstanceNode();
    return switch (message.getType()) {
      case "required" -> new FieldCause(
          "FieldValueRequired", "Required value",
          ("<nil>".equals(field) ? "" : field + ".") + message.getProperty());
      case "enum" -> new FieldCause(
          "FieldValueNotSupported", "Unsupported value: " + goValue(value) + ": " + text, field);
      case "type" -> new FieldCause(
          "FieldValueTypeInvalid", "Invalid value: " + goValue(value) + ": " + text, field);
      default -> new FieldCause("FieldValueInvalid", "Invalid value: " + goValue(value) + ": " + text, field);
    };
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
