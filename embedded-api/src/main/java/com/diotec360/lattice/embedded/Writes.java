package com.diotec360.lattice.embedded;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable count of the writes the embedded API accepted, by kind and verb, and of those it
 * refused (4xx). Take one before and one after, and compare with {@link #since(Writes)}:
 *
 * <pre>{@code
 * Writes before = api.writes();
 * ... three probe intervals ...
 * assertThat(api.writes().since(before).total()).isZero();
 * assertThat(api.writes().of("Deployment", Verb.UPDATE)).isZero();
 * }</pre>
 */
public final class Writes {

  private final Map<String, Map<Verb, Long>> accepted;
  private final Map<String, Long> refused;
  private final Map<String, Long> refusedByVerb;
  private final Map<String, Long> byUser;

  /** The user of writes made without a bound token (the test's own, cluster-admin, client). */
  public static final String UNBOUND = "";

  Writes(Map<String, Map<Verb, Long>> accepted, Map<String, Long> refused, Map<String, Long> refusedByVerb,
      Map<String, Long> byUser) {
    Map<String, Map<Verb, Long>> copy = new TreeMap<>();
    accepted.forEach((kind, verbs) -> copy.put(kind, Map.copyOf(verbs)));
    this.accepted = Map.copyOf(copy);
    this.refused = Map.copyOf(refused);
    this.refusedByVerb = Map.copyOf(refusedByVerb);
    this.byUser = Map.copyOf(byUser);
  }

  /**
   * Accepted writes made by one user: the name a token was bound to ({@code clientAs},
   * {@code bindToken}), or {@link #UNBOUND} for requests without a bound token.
   */
  public long by(String user) {
    return byUser.getOrDefault(user, 0L);
  }

  /** The users that made accepted writes, with their counts. */
  public Map<String, Long> byUser() {
    return new TreeMap<>(byUser);
  }

  /** Every accepted write. */
  public long total() {
    return accepted.values().stream().flatMap(v -> v.values().stream()).mapToLong(Long::longValue).sum();
  }

  /** Accepted writes of one kind ("Deployment", "LatticeNode", ...), all verbs. */
  public long of(String kind) {
    return accepted.getOrDefault(kind, Map.of()).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Accepted writes of one kind and verb. */
  public long of(String kind, Verb verb) {
    return accepted.getOrDefault(kind, Map.of()).getOrDefault(verb, 0L);
  }

  /** Writes the server refused (validation, conflict, bad patch, ...), all kinds. */
  public long refused() {
    return refused.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Writes of one kind the server refused. */
  public long refused(String kind) {
    return refused.getOrDefault(kind, 0L);
  }

  /** Writes of one kind and verb the server refused (a create that lost a race: 409). */
  public long refused(String kind, Verb verb) {
    return refusedByVerb.getOrDefault(key(kind, verb), 0L);
  }

  static String key(String kind, Verb verb) {
    return kind + "/" + verb;
  }

  /** What happened between {@code earlier} and this snapshot. */
  public Writes since(Writes earlier) {
    Map<String, Map<Verb, Long>> diff = new TreeMap<>();
    accepted.forEach((kind, verbs) -> {
      Map<Verb, Long> d = new EnumMap<>(Verb.class);
      verbs.forEach((verb, n) -> {
        long delta = n - earlier.of(kind, verb);
        if (delta != 0) {
          d.put(verb, delta);
        }
      });
      if (!d.isEmpty()) {
        diff.put(kind, d);
      }
    });
    Map<String, Long> refusedDiff = new TreeMap<>();
    refused.forEach((kind, n) -> {
      long delta = n - earlier.refused(kind);
      if (delta != 0) {
        refusedDiff.put(kind, delta);
      }
    });
    Map<String, Long> refusedVerbDiff = new TreeMap<>();
    refusedByVerb.forEach((key, n) -> {
      long delta = n - earlier.refusedByVerb.getOrDefault(key, 0L);
      if (delta != 0) {
        refusedVerbDiff.put(key, delta);
      }
    });
    Map<String, Long> userDiff = new TreeMap<>();
    byUser.forEach((user, n) -> {
      long delta = n - earlier.by(user);
      if (delta != 0) {
        userDiff.put(user, delta);
      }
    });
    return new Writes(diff, refusedDiff, refusedVerbDiff, userDiff);
  }

  @Override
  public String toString() {
    return "Writes" + accepted + (refusedByVerb.isEmpty() ? "" : " refused" + new TreeMap<>(refusedByVerb));
  }
}
