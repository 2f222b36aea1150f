package com.diotec360.lattice.operator.judge;

/** How one member's Merkle root compares with its lattice's reference root. */
public enum Verdict {
  /** Holds the reference root. */
  CONSISTENT("Consistent"),
  /** Lower version than the reference, mismatching for less than the grace period. */
  BEHIND("Behind"),
  /**
   * Same or higher version than the reference but another root, for less than the grace period:
   * holds entries the majority has not received yet (a write still propagating).
   */
  AHEAD("Ahead"),
  /** Another root for longer than the grace period. */
  DIVERGED("Diverged"),
  /**
   * No root is held by a strict majority of the members, and the reachable members hold
   * different roots for longer than the grace period: the lattice is split. Every member of a
   * split lattice is judged Split; nobody can say which side is right (spec.expectedMerkleRoot
   * can).
   */
  SPLIT("Split"),
  /**
   * No root is held by a strict majority of the members and the reachable ones agree (or have
   * disagreed for less than the grace period): nobody is blamed.
   */
  NO_QUORUM("NoQuorum"),
  /** Not judged: the member is unreachable, unhealthy or not probed yet. */
  UNOBSERVED("Unobserved");

  private final String reason;

  Verdict(String reason) {
    this.reason = reason;
  }

  /** The CamelCase word used as condition reason and status value. */
  public String reason() {
    return reason;
  }

  /** A root other than the reference, still within the grace period. */
  public boolean isPending() {
    return this == BEHIND || this == AHEAD;
  }
}
