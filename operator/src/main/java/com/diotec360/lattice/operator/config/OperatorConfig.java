package com.diotec360.lattice.operator.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The operator's settings, read once from environment variables at start and validated there. See
 * the README's "Operator configuration" table for every variable.
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    String nodeImage,
    int httpPort,
    Duration invalidSpecRecheck,
    Duration probeInterval,
    int unreachableAfterProbes,
    Duration divergenceGrace,
    Duration probeTimeout,
    int probeConcurrency,
    Duration startupDeadline,
    Duration rolloutDeadline,
    Duration statusRefresh) {

  public static final String DEFAULT_NODE_IMAGE = "diotec360/lattice-node:0.1.0";

  /** Defaults for tests and the local lattice. */
  public static OperatorConfig defaults() {
    return fromEnv(Map.of());
  }

  /** Reads the config; throws {@link InvalidConfigException} listing every problem at once. */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Function<String, String> get = key -> blankToNull(env.get(key));

    Set<String> namespaces = new TreeSet<>();
    String ns = get.apply("LATTICE_WATCH_NAMESPACES");
    if (ns != null) {
      Arrays.stream(ns.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(
              n -> {
                if (!n.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")) {
                  problems.add(
                      "LATTICE_WATCH_NAMESPACES: '" + n + "' is not a namespace name;"
                          + " give a comma-separated list such as 'lattice,staging' (empty: all)");
                }
                namespaces.add(n);
              });
    }
    String image = orDefault(get.apply("LATTICE_NODE_IMAGE"), DEFAULT_NODE_IMAGE);
    if (image.chars().anyMatch(Character::isWhitespace)) {
      problems.add("LATTICE_NODE_IMAGE: must be an image reference without spaces");
    }
    int httpPort = intSetting(get, "LATTICE_HTTP_PORT", 8080, 1, 65535, problems);
    int recheck = intSetting(get, "LATTICE_INVALID_SPEC_RECHECK_SECONDS", 60, 1, 86400, problems);
    int probeInterval = intSetting(get, "LATTICE_PROBE_INTERVAL_SECONDS", 10, 1, 3600, problems);
    int unreachableAfter = intSetting(get, "LATTICE_UNREACHABLE_AFTER_PROBES", 3, 1, 100, problems);
    int grace = intSetting(get, "LATTICE_DIVERGENCE_GRACE_SECONDS", 60, 0, 86400, problems);
    int timeoutMs = intSetting(get, "LATTICE_PROBE_TIMEOUT_MS", 2000, 50, 60000, problems);
    int concurrency = intSetting(get, "LATTICE_PROBE_CONCURRENCY", 32, 1, 1024, problems);
    int startup = intSetting(get, "LATTICE_STARTUP_DEADLINE_SECONDS", 600, 0, 86400, problems);
    int rollout = intSetting(get, "LATTICE_ROLLOUT_DEADLINE_SECONDS", 600, 1, 86400, problems);
    int refresh = intSetting(get, "LATTICE_STATUS_REFRESH_SECONDS", 60, 1, 86400, problems);

    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new OperatorConfig(
        Set.copyOf(namespaces),
        image,
        httpPort,
        Duration.ofSeconds(recheck),
        Duration.ofSeconds(probeInterval),
        unreachableAfter,
        Duration.ofSeconds(grace),
        Duration.ofMillis(timeoutMs),
        concurrency,
        Duration.ofSeconds(startup),
        Duration.ofSeconds(rollout),
        Duration.ofSeconds(refresh));
  }

  /** A copy with other watch timings (tests and the local lattice use short ones). */
  public OperatorConfig withWatchTimings(
      Duration probeInterval, int unreachableAfterProbes, Duration divergenceGrace) {
    return new OperatorConfig(
        watchNamespaces, nodeImage, httpPort, invalidSpecRecheck, probeInterval,
        unreachableAfterProbes, divergenceGrace, probeTimeout, probeConcurrency, startupDeadline,
        rolloutDeadline, statusRefresh);
  }

  /** A copy with another startup deadline (how long a never-available node counts as starting). */
  public OperatorConfig withStartupDeadline(Duration deadline) {
    return new OperatorConfig(
        watchNamespaces, nodeImage, httpPort, invalidSpecRecheck, probeInterval,
        unreachableAfterProbes, divergenceGrace, probeTimeout, probeConcurrency, deadline,
        rolloutDeadline, statusRefresh);
  }

  /**
   * A copy with another rollout deadline (how long a member may restart, or wait first in line,
   * before its lattice's rollout counts as stuck).
   */
  public OperatorConfig withRolloutDeadline(Duration deadline) {
    return new OperatorConfig(
        watchNamespaces, nodeImage, httpPort, invalidSpecRecheck, probeInterval,
        unreachableAfterProbes, divergenceGrace, probeTimeout, probeConcurrency, startupDeadline,
        deadline, statusRefresh);
  }

  /**
   * A copy with another status refresh interval: how often moving values (roots, versions) alone
   * may be written to status while data flows.
   */
  public OperatorConfig withStatusRefresh(Duration refresh) {
    return new OperatorConfig(
        watchNamespaces, nodeImage, httpPort, invalidSpecRecheck, probeInterval,
        unreachableAfterProbes, divergenceGrace, probeTimeout, probeConcurrency, startupDeadline,
        rolloutDeadline, refresh);
  }

  /** A copy watching only these namespaces (empty: all). */
  public OperatorConfig withWatchNamespaces(Set<String> namespaces) {
    return new OperatorConfig(
        Set.copyOf(namespaces), nodeImage, httpPort, invalidSpecRecheck, probeInterval,
        unreachableAfterProbes, divergenceGrace, probeTimeout, probeConcurrency, startupDeadline,
        rolloutDeadline, statusRefresh);
  }

  /** True when the operator watches every namespace. */
  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private static int intSetting(
      Function<String, String> get, String key, int dflt, int min, int max, List<String> problems) {
    String raw = get.apply(key);
    if (raw == null) {
      return dflt;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        problems.add(key + ": " + value + " is out of range; use " + min + ".." + max);
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(key + ": '" + raw + "' is not a whole number; use " + min + ".." + max);
      return dflt;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String orDefault(String s, String dflt) {
    return s == null ? dflt : s;
  }
}
