package com.diotec360.lattice.embedded.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSONPath subset CRDs use in {@code additionalPrinterColumns}, evaluated as kube-apiserver's
 * jsonpath does with missing keys allowed: {@code .a.b}, {@code .a[0].b}, {@code .a[*].b},
 * {@code .a['x.y']}, {@code .status.conditions[?(@.type=="Ready")].status} (also {@code !=}).
 */
final class JsonPathColumn {

  private sealed interface Step permits Field, Index, All, Filter {}

  private record Field(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record All() implements Step {}

  private record Filter(List<String> path, String value, boolean equal) implements Step {}

  private final String expression;
  private final List<Step> steps;

  private JsonPathColumn(String expression, List<Step> steps) {
    this.expression = expression;
    this.steps = steps;
  }

  /** Parses {@code expression}; an expression outside the subset matches nothing. */
  static JsonPathColumn parse(String expression) {
    String p = expression.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<Step> steps = new ArrayList<>();
    int i = 0;
    try {
      while (i < p.length()) {
        char c = p.charAt(i);
        if (c == '.') {
          int end = i + 1;
          while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
            end++;
          }
          if (end > i + 1) {
            steps.add(new Field(p.substring(i + 1, end)));
          }
          i = end;
        } else if (c == '[') {
          int end = closing(p, i);
          String inside = p.substring(i + 1, end).trim();
          steps.add(bracket(inside));
          i = end + 1;
        } else {
          int end = i;
          while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
            end++;
          }
          steps.add(new Field(p.substring(i, end)));
          i = end;
        }
      }
    } catch (RuntimeException e) {
      return new JsonPathColumn(expression, null);
    }
    return new JsonPathColumn(expression, List.copyOf(steps));
  }

  private static int closing(String p, int open) {
    boolean quoted = false;
    char quote = 0;
    int depth = 0;
    for (int i = open; i < p.length(); i++) {
      char c = p.charAt(i);
      if (quoted) {
        if (c == quote) {
          quoted = false;
        }
      } else if (c == '\'' || c == '"') {
        quoted = true;
        quote = c;
      } else if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        depth--;
        if (depth == 0 && c == ']') {
          return i;
        }
      }
    }
    throw new IllegalArgumentException("unclosed [ in " + p);
  }

  private static Step bracket(String inside) {
    if (inside.equals("*")) {
      return new All();
    }
    if ((inside.startsWith("'") && inside.endsWith("'")) || (inside.startsWith("\"") && inside.endsWith("\""))) {
      return new Field(inside.substring(1, inside.length() - 1));
    }
    if (inside.startsWith("?(") && inside.endsWith(")")) {
      String condition = inside.substring(2, inside.length() - 1).trim();
      boolean equal = !condition.contains("!=");
      String[] sides = condition.split(equal ? "==" : "!=", 2);
      String left = sides[0].trim();
      if (!left.startsWith("@.")) {
        throw new IllegalArgumentException("unsupported filter " + inside);
      }
      String right = sides[1].trim();
      if ((right.startsWith("'") && right.endsWith("'")) || (right.startsWith("\"") && right.endsWith("\""))) {
        right = right.substring(1, right.length() - 1);
      }
      return new Filter(List.of(left.substring(2).split("\\.")), right, equal);
    }
    return new Index(Integer.parseInt(inside));
  }

  /** The first value the path finds in {@code object}, or null (missing keys are allowed). */
  JsonNode first(JsonNode object) {
    if (steps == null) {
      return null;
    }
    List<JsonNode> current = List.of(object);
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        apply(step, node, next);
      }
      current = next;
      if (current.isEmpty()) {
        return null;
      }
    }
    return current.get(0);
  }

  private static void apply(Step step, JsonNode node, List<JsonNode> out) {
    if (step instanceof Field f) {
      if (node.isObject() && node.has(f.name())) {
        out.add(node.get(f.name()));
      }
    } else if (step instanceof Index ix) {
      if (node.isArray()) {
        int index = ix.index() < 0 ? node.size() + ix.index() : ix.index();
        if (index >= 0 && index < node.size()) {
          out.add(node.get(index));
        }
      }
    } else if (step instanceof All) {
      if (node.isArray()) {
        node.forEach(out::add);
      } else if (node.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          out.add(it.next().getValue());
        }
      }
    } else if (step instanceof Filter filter && node.isArray()) {
      for (JsonNode item : node) {
        JsonNode value = item;
        for (String key : filter.path()) {
          value = value.path(key);
        }
        if (value.isMissingNode() || value.isContainerNode()) {
          continue;
        }
        if (value.asText().equals(filter.value()) == filter.equal()) {
          out.add(item);
        }
      }
    }
  }

  @Override
  public String toString() {
    return expression;
  }
}
