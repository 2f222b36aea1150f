package com.diotec360.lattice.operator.judge;

/**
 * The one rule for how many members of a lattice must stay up while one is taken down on purpose
 * (a rollout restart, a voluntary eviction, a suspend). The disruption budget, the roller and the
 * suspend check all ask here.
 */
public final class Quorum {

  private Quorum() {}

  /** A strict majority of {@code members}: more than half. */
  public static int majority(int members) {
    return members / 2 + 1;
  }

  /**
   * Members that must stay up while one member is disrupted on purpose: a strict majority, except
   * in a lattice of one or two members, where no disruption can keep a strict majority and one
   * that never allowed any would block every upgrade and node drain forever; there all but the
   * disrupted member must stay up.
   */
  public static int keep(int members) {
    return Math.max(0, Math.min(majority(members), members - 1));
  }
}
