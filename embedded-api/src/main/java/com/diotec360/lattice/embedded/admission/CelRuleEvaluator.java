package com.diotec360.lattice.embedded.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles and runs Kubernetes CRD validation rules with cel-java: {@code self} (and {@code oldSelf}
 * for transition rules) are dynamic values built from the manifest's JSON, as the API server
 * does. Only standard CEL is declared; the Kubernetes extension libraries (quantity, url, ...)
 * are not, so a rule that needs one fails to compile here and must be looked at. Compiled programs
 * are cached: the embedded API server runs the same rules on every write.
 */
public final class CelRuleEvaluator {

  private static final Cel RULES = cel(SimpleType.BOOL);
  private static final Cel MESSAGES = cel(SimpleType.STRING);
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRuleEvaluator() {}

  private static Cel cel(dev.cel.common.types.CelType result) {
    return CelFactory.standardCelBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("self", SimpleType.DYN)
        .addVar("oldSelf", SimpleType.DYN)
        .setResultType(result)
        .build();
  }

  public static CelAbstractSyntaxTree compile(String rule) throws CelValidationException {
    return RULES.compile(rule).getAst();
  }

  /** Whether the rule holds for self (and oldSelf, which may be null on a create). */
  public static boolean holds(CrdValidationRule rule, JsonNode self, JsonNode oldSelf) {
    try {
      return (Boolean) program(RULES, rule.rule()).eval(variables(self, oldSelf));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("rule at " + rule.path() + " failed to run: " + e.getMessage(), e);
    }
  }

  /**
   * The message the API server shows when the rule fails: the messageExpression's value when it
   * has one that evaluates to a non-empty string, else the message, else the rule itself.
   */
  public static String messageFor(CrdValidationRule rule, JsonNode self, JsonNode oldSelf) {
    if (!rule.messageExpression().isBlank()) {
      try {
        Object message = program(MESSAGES, rule.messageExpression()).eval(variables(self, oldSelf));
        if (message instanceof String text && !text.isBlank()) {
          return text;
        }
      } catch (CelValidationException | CelEvaluationException e) {
        // The API server falls back to the static message when the expression fails.
      }
    }
    if (!rule.message().isBlank()) {
      return rule.message();
    }
    return "failed rule: " + rule.rule();
  }

  private static CelRuntime.Program program(Cel cel, String expression)
      throws CelValidationException {
    String key = (cel == RULES ? "rule:" : "message:") + expression;
    CelRuntime.Program cached = PROGRAMS.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      CelRuntime.Program program = cel.createProgram(cel.compile(expression).getAst());
      PROGRAMS.put(key, program);
      return program;
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("cannot plan CEL expression " + expression, e);
    }
  }

  private static Map<String, Object> variables(JsonNode self, JsonNode oldSelf) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("self", toCel(self));
    if (oldSelf != null) {
      variables.put("oldSelf", toCel(oldSelf));
    }
    return variables;
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
