package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.observe.DivergenceInspector;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeProber;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * What the reconciler needs to watch the nodes, besides running them: the prober (and where it
 * reaches nodes), the judge's feeder, the announcer of transitions, the sync-mode enforcer.
 */
public record NodeWatching(
    NodeProber prober,
    NodeAddressResolver resolver,
    LatticeWatch watch,
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
