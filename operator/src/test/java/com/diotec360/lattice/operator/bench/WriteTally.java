package com.diotec360.lattice.operator.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An immutable count of API writes by who made them, where, to what, how and with what answer:
 * one entry per (user, namespace, resource, verb, HTTP code). The benchmarks fill it from the
 * real API server's audit log ({@link AuditWrites}) or, on a server whose audit log they cannot
 * read, from the operator's own HTTP client ({@link ClientWrites}); both name resources and verbs
 * as the audit log does ({@code configmaps}, {@code latticenodes/status}; create, update, patch,
 * delete).
 */
final class WriteTally {

  /** One kind of write. {@code resource} is the plural, with {@code /status} for status writes. */
  record Key(String user, String namespace, String resource, String verb, int code) {
    boolean accepted() {
      return code >= 200 && code < 300;
    }
  }

  static final WriteTally EMPTY = new WriteTally(Map.of());

  private final Map<Key, Long> counts;

  WriteTally(Map<Key, Long> counts) {
    this.counts = Map.copyOf(counts);
  }

  Map<Key, Long> counts() {
    return counts;
  }

  /** What happened between {@code earlier} and this tally. */
  WriteTally since(WriteTally earlier) {
    Map<Key, Long> diff = new HashMap<>();
    counts.forEach((k, n) -> {
      long d = n - earlier.counts.getOrDefault(k, 0L);
      if (d != 0) {
        diff.put(k, d);
      }
    });
    return new WriteTally(diff);
  }

  WriteTally filter(Predicate<Key> keep) {
    return new WriteTally(counts.entrySet().stream()
        .filter(e -> keep.test(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  WriteTally by(String user) {
    return filter(k -> k.user().equals(user));
  }

  WriteTally in(String namespace) {
    return filter(k -> k.namespace().equals(namespace));
  }

  long accepted() {
    return sum(Key::accepted);
  }

  long refused() {
    return sum(k -> k.code() >= 400 && k.code() != 404);
  }

  long sum(Predicate<Key> which) {
    return counts.entrySet().stream().filter(e -> which.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  /** Accepted writes as "Kind verb=n" (status writes as "Kind/status"), sorted. */
  Map<String, Long> acceptedByKindVerb() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, n) -> {
      if (k.accepted()) {
        out.merge(kind(k.resource()) + " " + k.verb(), n, Long::sum);
      }
    });
    return out;
  }

  /** Refused writes as "Kind verb code=n", sorted. */
  Map<String, Long> refusedByKindVerbCode() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, n) -> {
      if (!k.accepted() && k.code() != 404) {
        out.merge(kind(k.resource()) + " " + k.verb() + " " + k.code(), n, Long::sum);
      }
    });
    return out;
  }

  /** One line: "ConfigMap create 200, ... ; refused: Service create 409 3". */
  String describe() {
    String accepted = acceptedByKindVerb().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    Map<String, Long> refused = refusedByKindVerbCode();
    return (accepted.isEmpty() ? "none" : accepted)
        + (refused.isEmpty() ? "" : "; refused: " + refused.entrySet().stream()
            .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", ")));
  }

  /** Per-unit figures: "ConfigMap update 2.00, ..." divided by {@code per}. */
  String describePer(double per) {
    return acceptedByKindVerb().entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / per))
        .collect(Collectors.joining(", "));
  }

  private static final Map<String, String> KINDS = Map.ofEntries(
      Map.entry("configmaps", "ConfigMap"),
      Map.entry("secrets", "Secret"),
      Map.entry("services", "Service"),
      Map.entry("persistentvolumeclaims", "PVC"),
      Map.entry("deployments", "Deployment"),
      Map.entry("poddisruptionbudgets", "PDB"),
      Map.entry("endpointslices", "EndpointSlice"),
      Map.entry("events", "Event"),
      Map.entry("latticenodes", "LatticeNode"),
      Map.entry("leases", "Lease"));

  static String kind(String resource) {
    String[] parts = resource.split("/", 2);
    String kind = KINDS.getOrDefault(parts[0], parts[0]);
    return parts.length == 2 ? kind + "/" + parts[1] : kind;
  }
}
