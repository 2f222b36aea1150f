package com.diotec360.lattice.operator.judge;

import java.time.Instant;

/**
 * A node's active sync mode changed.
 *
 * @param from the mode seen before ("P2P" or "HTTP")
 * @param to the mode seen now
 * @param at when the node says it happened (its sync_mode_since), else when it was first seen
 */
public record SyncModeTransition(String from, String to, Instant at) {

  public static final String P2P = "P2P";
  public static final String HTTP = "HTTP";

  /** P2P → HTTP: the node lost its P2P peers and fell back to polling. */
  public boolean isDegradation() {
    return P2P.equals(from) && HTTP.equals(to);
  }

  /** HTTP → P2P: P2P peers came back. */
  public boolean isRecovery() {
    return HTTP.equals(from) && P2P.equals(to);
  }
}
