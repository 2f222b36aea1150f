package com.diotec360.lattice.operator.act;

/**
 * What this reconcile does with the node's pod template, decided by {@link Rollouts} before the
 * dependents run and read by the Deployment dependent from the workflow context.
 *
 * @param wantedRevision the revision the spec asks for
 * @param hold true: keep the template the Deployment runs (the lattice's roller says wait)
 * @param waitingFor why it waits, in words, or null
 * @param blocking true when the wait is on this node's own turn (it is first in line), so a wait
 *     longer than the rollout deadline makes its rollout stuck
 */
public record RolloutStep(String wantedRevision, boolean hold, String waitingFor, boolean blocking) {

  /** Key of the step in the managed workflow context. */
  public static final String KEY = "lattice.rolloutStep";

  static RolloutStep apply(String wantedRevision) {
    return new RolloutStep(wantedRevision, false, null, false);
  }

  /** Hold the running template: the lattice's Secret or peer list, which the pod needs, is missing. */
  public static RolloutStep waitForLattice(String wantedRevision, String lattice) {
    return new RolloutStep(wantedRevision, true,
        "waiting for lattice " + lattice + "'s Secret and peer list, which the node's pod needs", false);
  }
}
