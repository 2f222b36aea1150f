package com.diotec360.lattice.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one place a deleted LatticeNode is forgotten. Whatever keeps something per node (the
 * prober's reports, the metrics' series, the roller's, the announcer's, the sync-mode switch's,
 * the inspector's and the self-healer's memory, deprecation notices) registers how to forget it;
 * the informer's delete event for the LatticeNode calls them all, once. A suspended node is not
 * deleted: it keeps what it had.
 */
public final class DeletedNodes {

  private final List<Consumer<ResourceID>> forgetters = new CopyOnWriteArrayList<>();

  /** Registers what to do when a node is deleted. */
  public void onDelete(Consumer<ResourceID> forget) {
    forgetters.add(forget);
  }

  /** The node's LatticeNode is gone: everyone forgets it. */
  public void deleted(ResourceID node) {
    forgetters.forEach(f -> f.accept(node));
  }
}
