package com.diotec360.lattice.operator.charts;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a parser: it removes what cannot be a metric
 * name (string literals, label matchers in braces, grouping label lists, range selectors,
 * durations, numbers) and keeps identifiers that are not functions or keywords.
 */
final class PromQlMetricNames {

  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without", "on", "ignoring",
          "group_left", "group_right");

  private PromQlMetricNames() {}

  static Set<String> in(String expr) {
    String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?").matcher(s);
    while (m.find()) {
      String word = m.group(1);
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }
}
