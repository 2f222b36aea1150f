package com.diotec360.lattice.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles and runs Kubernetes CRD validation rules with cel-java: {@code self} (and {@code oldSelf}
 * for transition rules) are dynamic values built from the manifest's JSON, as the API server
 * does. Only standard CEL is declared; the Kubernetes extension libraries (quantity, url, ...)
 * are not, so a rule that needs one fails to compile here and must be looked at.
 */
final class CelRuleEvaluator {

  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .setResultType(SimpleType.BOOL)
          .build();

  private CelRuleEvaluator() {}

  static CelAbstractSyntaxTree compile(String rule) throws CelValidationException {
    return CEL.compile(rule).getAst();
  }

  /** Whether the rule holds for self (and oldSelf, which may be null on a create). */
  static boolean holds(CrdValidationRule rule, JsonNode self, JsonNode oldSelf) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("self", toCel(self));
    if (oldSelf != null) {
      variables.put("oldSelf", toCel(oldSelf));
    }
    try {
      return (Boolean) CEL.createProgram(compile(rule.rule())).eval(variables);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("rule at " + rule.path() + " failed to run: " + e.getMessage(), e);
    }
  }

  /** JSON to the values CEL expects: int as long, objects as maps, null fields left out. */
  private static Object toCel(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.asLong();
    } else if (node.isNumber()) {
      return node.asDouble();
    } else if (node.isBoolean()) {
      return node.asBoolean();
    } else if (node.isTextual()) {
      return node.asText();
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(element -> list.add(toCel(element)));
      return list;
    } else if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().stream()
          .filter(field -> !field.getValue().isNull())
          .forEach(field -> map.put(field.getKey(), toCel(field.getValue())));
      return map;
    }
    throw new IllegalArgumentException("no CEL value for " + node.getNodeType());
  }
}
