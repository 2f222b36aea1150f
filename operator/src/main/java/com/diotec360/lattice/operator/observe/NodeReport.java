package com.diotec360.lattice.operator.observe;

import java.time.Instant;
import java.util.Objects;

/**
 * The prober's latest knowledge of one node.
 *
 * @param reachable false once {@code unreachableAfter} probes in a row failed; true again on the
 *     first success
 * @param consecutiveFailures failed probes since the last success
 * @param probedAt when the values below were first seen (not refreshed by identical probes)
 * @param lastError the last probe failure, or null
 * @param observation the last successful answer, or null when the node never answered
 * @param answeredAt when the node last answered a probe (refreshed by every answer, also an
 *     identical one), or null when it never did
 */
public record NodeReport(
    boolean reachable,
    int consecutiveFailures,
    Instant probedAt,
    String lastError,
    NodeObservation observation,
    Instant answeredAt) {

  /** A report whose last answer came when its values were first seen. */
  public NodeReport(
      boolean reachable,
      int consecutiveFailures,
      Instant probedAt,
      String lastError,
      NodeObservation observation) {
    this(reachable, consecutiveFailures, probedAt, lastError, observation,
        observation == null ? null : probedAt);
  }

  /** True when the node answered and is healthy: it may vote on the reference root. */
  public boolean eligible() {
    return reachable && observation != null && observation.healthy();
  }

  /**
   * True when the two reports differ in a way the status or the judge would show. The probe time,
   * failure counts below the threshold and error texts do not count: they change every probe.
   */
  public boolean differsFrom(NodeReport other) {
    return other == null
        || reachable != other.reachable
        || !Objects.equals(observation, other.observation);
  }
}
