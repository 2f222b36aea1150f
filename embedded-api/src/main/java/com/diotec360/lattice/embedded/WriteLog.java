package com.diotec360.lattice.embedded;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** The live counters behind {@link Writes}; every method is synchronized (writes are few). */
final class WriteLog {

  private final Map<String, Map<Verb, Long>> accepted = new HashMap<>();
  private final Map<String, Long> refused = new HashMap<>();
  private final Map<String, Long> byUser = new HashMap<>();

  synchronized void record(String kind, Verb verb, int httpCode, String user) {
    if (httpCode >= 200 && httpCode < 300) {
      accepted.computeIfAbsent(kind, k -> new EnumMap<>(Verb.class)).merge(verb, 1L, Long::sum);
      byUser.merge(user, 1L, Long::sum);
    } else if (httpCode >= 400 && httpCode < 500 && httpCode != 404) {
      refused.merge(kind, 1L, Long::sum);
    }
  }

  synchronized Writes snapshot() {
    return new Writes(accepted, refused, byUser);
  }

  synchronized void reset() {
    accepted.clear();
    refused.clear();
    byUser.clear();
  }
}
