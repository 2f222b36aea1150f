package com.diotec360.lattice.embedded.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a real API server would say about a custom resource document on create, under kubectl's
 * strict field validation: the CRD's OpenAPI rules (unknown fields are errors here) and every CEL
 * rule that applies on create (transition rules need an old object). For tests that check the
 * manifests a project ships (examples, chart output).
 */
public final class CrdValidator {

  private final JsonSchema schema;
  private final List<CrdValidationRule> rules;

  private CrdValidator(JsonNode openApiV3Schema) {
    this.schema = jsonSchema(openApiV3Schema);
    this.rules = CrdValidationRule.collect(openApiV3Schema);
  }

  /** A validator for one CRD version's {@code openAPIV3Schema}. */
  public static CrdValidator forSchema(JsonNode openApiV3Schema) {
    return new CrdValidator(openApiV3Schema);
  }

  /** The schema as JSON Schema draft 4 (see {@link StructuralSchema}), paths in $.a.b form. */
  public static JsonSchema jsonSchema(JsonNode openApiV3Schema) {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
        .getSchema(
            StructuralSchema.toJsonSchema(openApiV3Schema),
            SchemaValidatorsConfig.builder().pathType(PathType.LEGACY).build());
  }

  /** The OpenAPI schema's messages about the document, sorted; no CEL rules. */
  public List<String> schemaMessages(JsonNode document) {
    Set<ValidationMessage> errors = schema.validate(document);
    return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** Every rule of the CRD. */
  public List<CrdValidationRule> rules() {
    return rules;
  }

  /** Every problem with the document, empty when the API server would accept it. */
  public List<String> problems(JsonNode document) {
    List<String> problems = new ArrayList<>(schemaMessages(document));
    for (CrdValidationRule rule : rules) {
      if (rule.isTransitionRule()) {
        continue;
      }
      for (JsonNode self : rule.select(document)) {
        if (!CelRuleEvaluator.holds(rule, self, null)) {
          problems.add(rule.path() + ": " + rule.message());
        }
      }
    }
    return problems;
  }
}
