package com.diotec360.lattice.operator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the operator process runs, as opposed to what it reconciles ({@link OperatorConfig}): its
 * logging and its leader election. Read once from environment variables at start; see the chart
 * README's "Operator configuration" table.
 *
 * @param logLevel root log level (logback reads the same variable; validated here)
 * @param logFormat {@code text} or {@code json} (logback reads the same variable)
 * @param leaderElection present when leader election is on
 */
public record RuntimeConfig(
    String logLevel, String logFormat, Optional<LeaderElection> leaderElection) {

  public static final String DEFAULT_LEASE_NAME = "lattice-operator";
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  private static final Set<String> FORMATS = Set.of("text", "json");
  private static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /**
   * JOSDK's lease-based leader election.
   *
   * @param leaseName the Lease object's name
   * @param leaseNamespace where the Lease lives; empty: the namespace of the operator's service
   *     account (JOSDK reads it from the pod)
   * @param identity this replica's name in the Lease (the pod name)
   * @param exitOnStopLeading end the process when leadership is lost (always in a pod, where
   *     Kubernetes restarts it as a standby; tests that run two operators in one JVM turn it off)
   */
  public record LeaderElection(
      String leaseName, Optional<String> leaseNamespace, String identity, boolean exitOnStopLeading) {

    public LeaderElection(String leaseName, Optional<String> leaseNamespace, String identity) {
      this(leaseName, leaseNamespace, identity, true);
    }

    /** The same election, but losing it does not end the process (tests). */
    public LeaderElection withoutExit() {
      return new LeaderElection(leaseName, leaseNamespace, identity, false);
    }
  }

  /** Everything off, plain text at INFO: for tests and local runs. */
  public static RuntimeConfig defaults() {
    return fromEnv(Map.of());
  }

  /** Reads the config; throws {@link InvalidConfigException} listing every problem at once. */
  public static RuntimeConfig fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String level = get(env, "LATTICE_LOG_LEVEL").orElse("INFO").toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      problems.add("LATTICE_LOG_LEVEL: '" + level + "' is not a log level; use one of " + sorted(LEVELS));
    }
    String format = get(env, "LATTICE_LOG_FORMAT").orElse("text");
    if (!FORMATS.contains(format)) {
      problems.add("LATTICE_LOG_FORMAT: '" + format + "' is not a log format; use one of " + sorted(FORMATS));
    }

    Optional<LeaderElection> election = Optional.empty();
    String enabled = get(env, "LATTICE_LEADER_ELECTION").orElse("false");
    if (!enabled.equals("true") && !enabled.equals("false")) {
      problems.add("LATTICE_LEADER_ELECTION: '" + enabled + "' is not a boolean; use true or false");
    } else if (enabled.equals("true")) {
      String lease = get(env, "LATTICE_LEADER_ELECTION_LEASE_NAME").orElse(DEFAULT_LEASE_NAME);
      if (!lease.matches(DNS_SUBDOMAIN) || lease.length() > 253) {
        problems.add("LATTICE_LEADER_ELECTION_LEASE_NAME: '" + lease + "' is not a valid object name;"
            + " use lower-case letters, digits, '-' and '.'");
      }
      Optional<String> namespace =
          get(env, "LATTICE_LEADER_ELECTION_LEASE_NAMESPACE").or(() -> get(env, "POD_NAMESPACE"));
      namespace
          .filter(n -> !n.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))
          .ifPresent(n -> problems.add("LATTICE_LEADER_ELECTION_LEASE_NAMESPACE: '" + n
              + "' is not a namespace name"));
      Optional<String> identity = get(env, "POD_NAME").or(() -> get(env, "HOSTNAME"));
      if (identity.isEmpty()) {
        problems.add("POD_NAME: leader election needs this replica's identity; set POD_NAME from"
            + " the downward API (fieldRef metadata.name) or turn LATTICE_LEADER_ELECTION off");
      }
      election = Optional.of(new LeaderElection(lease, namespace, identity.orElse("")));
    }

    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new RuntimeConfig(level, format, election);
  }

  private static Optional<String> get(Map<String, String> env, String key) {
    return Optional.ofNullable(env.get(key)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static String sorted(Set<String> values) {
    return String.join(", ", values.stream().sorted().toList());
  }
}
