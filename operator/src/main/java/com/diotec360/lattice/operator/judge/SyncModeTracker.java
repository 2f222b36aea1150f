package com.diotec360.lattice.operator.judge;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Notices a node's sync-mode changes. The last mode seen lives in the node's status (syncMode),
 * so a restart of the operator neither loses nor invents a transition. Pure.
 */
public final class SyncModeTracker {

  private SyncModeTracker() {}

  /**
   * @param lastSeen the mode recorded before, null when the node was never observed
   * @param reported the mode the node reports now, null when unknown (unreachable)
   * @param reportedSince the node's sync_mode_since, null when it did not say
   * @param now the time of this observation
   * @return the transition, if the mode changed; the first observation is not a transition
   */
  public static Optional<SyncModeTransition> transition(
      String lastSeen, String reported, Instant reportedSince, Instant now) {
    if (lastSeen == null || reported == null || Objects.equals(lastSeen, reported)) {
      return Optional.empty();
    }
    Instant at = reportedSince != null && !reportedSince.isAfter(now) ? reportedSince : now;
    return Optional.of(new SyncModeTransition(lastSeen, reported, at));
  }
}
