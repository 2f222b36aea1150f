package com.diotec360.lattice.realapi.conformance;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The suite's report: one row per behaviour, only the keys that differ shown for each server. */
final class DifferenceTable {

  private static final int CELL = 160;

  private DifferenceTable() {}

  record Row(Behaviour behaviour, Map<String, String> real, Map<String, String> embedded, List<String> differingKeys) {

    static Row of(Behaviour behaviour, Map<String, String> real, Map<String, String> embedded) {
      Set<String> keys = new LinkedHashSet<>(real.keySet());
      keys.addAll(embedded.keySet());
      List<String> differing = keys.stream()
          .filter(k -> !real.getOrDefault(k, "<absent>").equals(embedded.getOrDefault(k, "<absent>")))
          .toList();
      return new Row(behaviour, real, embedded, differing);
    }

    String verdict() {
      if (differingKeys.isEmpty()) {
        return "same";
      }
      Set<String> reasons = new LinkedHashSet<>();
      for (String key : differingKeys) {
        reasons.add(AcceptedDifferences.reason(behaviour.id(), key).orElse("**DIFFERS** (not accepted)"));
      }
      return reasons.stream().map(r -> r.startsWith("**") ? r : "accepted: " + r).collect(Collectors.joining("; "));
    }
  }

  static String render(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    long same = rows.stream().filter(r -> r.differingKeys().isEmpty()).count();
    out.append("\n## The embedded API against a real kube-apiserver v1.36: ")
        .append(rows.size()).append(" behaviours, ").append(same).append(" the same, ")
        .append(rows.size() - same).append(" different\n\n")
        .append("| behaviour | real | embedded | verdict |\n|---|---|---|---|\n");
    rows.stream().sorted(Comparator.comparing(r -> r.behaviour().id())).forEach(row -> {
      out.append("| `").append(row.behaviour().id()).append("` ").append(escape(row.behaviour().what())).append(" | ");
      if (row.differingKeys().isEmpty()) {
        out.append(escape(summary(row.real()))).append(" | same | same |\n");
      } else {
        out.append(cells(row.differingKeys(), row.real())).append(" | ")
            .append(cells(row.differingKeys(), row.embedded())).append(" | ")
            .append(escape(row.verdict())).append(" |\n");
      }
    });
    return out.toString();
  }

  private static String summary(Map<String, String> values) {
    return clip(values.entrySet().stream().limit(3).map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" ")));
  }

  private static String cells(List<String> keys, Map<String, String> values) {
    return keys.stream().limit(12).map(k -> escape(k + ": " + clip(values.getOrDefault(k, "<absent>"))))
        .collect(Collectors.joining("<br>")) + (keys.size() > 12 ? "<br>… " + (keys.size() - 12) + " more" : "");
  }

  private static String clip(String text) {
    return text.length() <= CELL ? text : text.substring(0, CELL) + "…";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
