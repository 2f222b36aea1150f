package com.diotec360.lattice.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * What a real API server would say about a LatticeNode document on create: the generated CRD's
 * OpenAPI rules and every CEL rule that applies on create (transition rules need an old object).
 * For tests that check manifests the project ships (examples, chart output).
 */
public final class CrdValidator {

  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
          .getSchema(
              StructuralSchema.toJsonSchema(GeneratedCrd.openApiV3Schema()),
              SchemaValidatorsConfig.builder().pathType(PathType.LEGACY).build());
  private static final List<CrdValidationRule> RULES =
      CrdValidationRule.collect(GeneratedCrd.openApiV3Schema());

  private CrdValidator() {}

  /** Every problem with the document, empty when the API server would accept it. */
  public static List<String> problems(JsonNode document) {
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : SCHEMA.validate(document)) {
      problems.add(message.getMessage());
    }
    for (CrdValidationRule rule : RULES) {
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
