package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.observe.DivergenceInspector;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeProber;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * What the member reconciler needs to watch its node, besides running it: the prober (and where it
 * reaches nodes), the lattice's decisions, the announcer of transitions, the sync-mode enforcer,
 * the divergence inspector and the self-healer.
 */
public record NodeWatching(
    NodeProber prober,
    NodeAddressResolver resolver,
    LatticeDecisions decisions,
    WatchEvents events,
    SyncModeEnforcer enforcer,
    DivergenceInspector inspector,
    SelfHealer healer) {

  /** Forgets a node that is gone everywhere its watching kept something of it. */
  public void forget(ResourceID node) {
    events.forget(node);
    enforcer.forget(node);
    inspector.forget(node);
    healer.forget(node);
  }
}
