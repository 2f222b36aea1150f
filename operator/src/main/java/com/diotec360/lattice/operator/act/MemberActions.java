package com.diotec360.lattice.operator.act;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * What the operator does to a member node besides running its objects: the declarative sync-mode
 * switch and opt-in self-heal. Both call the node off the reconcile thread; the roller's ordering
 * ({@link Rollouts}) acts through the Deployment instead.
 */
public record MemberActions(SyncModeEnforcer syncMode, SelfHealer healer) implements AutoCloseable {

  /** Forgets a node that is gone: a switch or a resync asked for it. */
  public void forget(ResourceID node) {
    syncMode.forget(node);
    healer.forget(node);
  }

  /** Stops both threads; a call in flight finishes on the node. */
  @Override
  public void close() {
    syncMode.close();
    healer.close();
  }
}
