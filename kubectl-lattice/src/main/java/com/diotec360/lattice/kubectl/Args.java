package com.diotec360.lattice.kubectl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser: flags with values ({@code -n NS}, {@code --mode=http}), boolean
 * flags ({@code -A}) and positional arguments. Unknown flags are a {@link UsageException}.
 */
final class Args {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  /**
   * @param withValue flags that take a value, by every name they have (first name is canonical)
   * @param booleans flags without a value
   */
  static Args parse(List<String> args, Map<String, List<String>> withValue, Map<String, List<String>> booleans)
      throws UsageException {
    Args parsed = new Args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("-") || a.equals("-")) {
        parsed.positional.add(a);
        continue;
      }
      String name = a;
      String inline = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        inline = a.substring(eq + 1);
      }
      String canonical = canonical(withValue, name);
      if (canonical != null) {
        String value = inline;
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
          }
          value = args.get(++i);
        }
        parsed.values.put(canonical, value);
        continue;
      }
      canonical = canonical(booleans, name);
      if (canonical != null && inline == null) {
        parsed.values.put(canonical, "true");
        continue;
      }
      throw new UsageException("unknown flag " + a);
    }
    return parsed;
  }

  private static String canonical(Map<String, List<String>> flags, String name) {
    for (var e : flags.entrySet()) {
      if (e.getValue().contains(name)) {
        return e.getKey();
      }
    }
    return null;
  }

  String value(String flag, String fallback) {
    return values.getOrDefault(flag, fallback);
  }

  boolean has(String flag) {
    return values.containsKey(flag);
  }

  List<String> positional() {
    return positional;
  }

  String oneOf(String flag, String fallback, Set<String> allowed) throws UsageException {
    String v = value(flag, fallback);
    if (v != null && !allowed.contains(v)) {
      throw new UsageException(flag + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
          + ", not '" + v + "'");
    }
    return v;
  }
}
