package com.diotec360.lattice.operator.events;

/**
 * Every reason the operator writes, in one place: the {@code reason} of its Events and of its
 * status conditions. The values are part of the user interface (alerts, {@code kubectl get events
 * --field-selector reason=...}, docs/watching.md), so a value never changes once released.
 *
 * <p>Three condition reasons come from their own vocabularies instead: {@code MerkleConsistent}
 * carries the verdict ({@code judge.Verdict}: Consistent, Behind, Diverged, Split, ...),
 * {@code RolloutStuck} the rollout state ({@code RolloutStatus}) and {@code SelfHealFailed} the
 * self-heal state ({@code SelfHealStatus}).
 */
public enum Reason {
  // ---- Events (and the conditions some of them mirror) ----------------------------------------
  /** Warning: a member holds another root than the reference past the grace period. */
  MERKLE_DIVERGENCE("MerkleDivergence"),
  /** Normal: a diverged member holds the reference root again. */
  MERKLE_CONVERGED("MerkleConverged"),
  /**
   * Warning, on the Lattice: no reference root and the members hold different roots past the
   * grace period.
   */
  LATTICE_SPLIT("LatticeSplit"),
  /** Warning, on the Lattice: no root is held by a strict majority of the members any more. */
  LATTICE_NO_QUORUM("LatticeNoQuorum"),
  /** Normal, on the Lattice: every member holds the reference root again after a split or no quorum. */
  LATTICE_HEALTHY("LatticeHealthy"),
  /**
   * Warning (Event) and Deleting=True (condition), on the Lattice: it was deleted while members
   * remain; it waits for them and never deletes them.
   */
  MEMBERS_REMAIN("MembersRemain"),
  /** Warning, on a LatticeNode: it sets a field that moved to the Lattice. */
  DEPRECATED_FIELD("DeprecatedField"),
  /** Normal or Warning: the node's sync path changed (P2P ↔ HTTP). */
  SYNC_MODE_CHANGED("SyncModeChanged"),
  /** Warning (Event) and Reachable/Ready=False (condition): probes keep failing. */
  NODE_UNREACHABLE("NodeUnreachable"),
  /** Normal: probes succeed again. */
  NODE_RECOVERED("NodeRecovered"),
  /** Normal: the roller restarts the node for a new pod-template revision. */
  ROLLOUT_RESTART("RolloutRestart"),
  /** Warning: a member is not back, or is held first in line, past the rollout deadline. */
  ROLLOUT_STUCK("RolloutStuck"),
  /** Normal: the operator asked the node to switch its sync mode, as spec.sync.mode says. */
  SYNC_MODE_SWITCHED("SyncModeSwitched"),
  /** Warning: that switch failed. */
  SYNC_MODE_SWITCH_FAILED("SyncModeSwitchFailed"),
  /** Normal: self-heal asked the node for a resync from a reference holder. */
  SELF_HEAL_RESYNC("SelfHealResync"),
  /** Normal: self-heal restarts the node after its resyncs did not help. */
  SELF_HEAL_RESTART("SelfHealRestart"),
  /** Warning: self-heal gave up; a person decides. */
  SELF_HEAL_GAVE_UP("SelfHealGaveUp"),
  /** Normal: the node holds the reference root again after self-heal. */
  SELF_HEALED("SelfHealed"),
  /** Warning (Event) and Ready=False (condition): the spec cannot be reconciled as written. */
  INVALID_SPEC("InvalidSpec"),
  /** Warning (Event) and Ready=False (condition): reconciling failed; the message says why. */
  RECONCILE_ERROR("ReconcileError"),

  // ---- Conditions only ------------------------------------------------------------------------
  DEPLOYMENT_AVAILABLE("DeploymentAvailable"),
  DEPLOYMENT_NOT_AVAILABLE("DeploymentNotAvailable"),
  NODE_UNHEALTHY("NodeUnhealthy"),
  NOT_PROBED("NotProbed"),
  NODE_STARTING("NodeStarting"),
  PROBE_SUCCEEDED("ProbeSucceeded"),
  PROBE_FAILED("ProbeFailed"),
  P2P_PEERS("P2PPeers"),
  HTTP_FALLBACK("HttpFallback"),
  HTTP_MODE("HttpMode"),
  P2P_NOT_RUNNING("P2PNotRunning"),
  NO_PEERS("NoPeers"),
  SUSPENDED("Suspended"),
  PAUSED_BY_ANNOTATION("PausedByAnnotation"),
  RECONCILING("Reconciling"),
  /** SelfHealFailed=False: spec.selfHeal.enabled is not true. */
  SELF_HEAL_DISABLED("Disabled"),
  /** SelfHealFailed=False: nothing to repair. */
  SELF_HEAL_NOT_NEEDED("NotNeeded"),
  /** MerkleConsistent: a diverged member that both lacks entries and holds extra ones. */
  FORKED("Forked"),
  /** Lattice Ready: every member holds the reference root. */
  HEALTHY("Healthy"),
  /** Lattice Ready: a strict majority holds the reference root, some member does not. */
  DEGRADED("Degraded"),
  /** Lattice Quorum: a strict majority of the members holds the reference root. */
  QUORUM_HELD("QuorumHeld"),
  /** Lattice Quorum: no root is held by a strict majority. */
  NO_QUORUM("NoQuorum"),
  /** Lattice Deleting=False: nobody asked to delete it. */
  NOT_DELETING("NotDeleting");

  private final String value;

  Reason(String value) {
    this.value = value;
  }

  /** The reason as written to the API. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
