package com.diotec360.lattice.embedded;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The live counters behind {@link Writes}; every method is synchronized (writes are few). The
 * embedded API records into one as it answers; the real-API harness (lattice-real-api) records
 * into one as it reads the API server's audit log, so both servers count writes the same way.
 */
public final class WriteLog {

  private final Map<String, Map<Verb, Long>> accepted = new HashMap<>();
  private final Map<String, Long> refused = new HashMap<>();
  private final Map<String, Long> refusedByVerb = new HashMap<>();
  private final Map<String, Long> byUser = new HashMap<>();

  /** One write answered with {@code httpCode}: 2xx accepted, 4xx but 404 refused, 404 not counted. */
  public synchronized void record(String kind, Verb verb, int httpCode, String user) {
    if (httpCode >= 200 && httpCode < 300) {
      accepted.computeIfAbsent(kind, k -> new EnumMap<>(Verb.class)).merge(verb, 1L, Long::sum);
      byUser.merge(user, 1L, Long::sum);
    } else if (httpCode >= 400 && httpCode < 500 && httpCode != 404) {
      refused.merge(kind, 1L, Long::sum);
      refusedByVerb.merge(Writes.key(kind, verb), 1L, Long::sum);
    }
  }

  public synchronized Writes snapshot() {
    return new Writes(accepted, refused, refusedByVerb, byUser);
  }

  public synchronized void reset() {
    accepted.clear();
    refused.clear();
    refusedByVerb.clear();
    byUser.clear();
  }
}
