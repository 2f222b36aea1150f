package com.diotec360.lattice.operator.reconcile;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/** How both reconcilers write their primary's status. */
final class StatusWrite {

  private StatusWrite() {}

  /**
   * The whole status is replaced through {@code PUT .../status} with optimistic locking, never a
   * JSON Patch computed against the cached copy: a patch such as {@code add /status/phase} is
   * refused (422) by a real API server whenever the cached copy and the stored object differ in
   * shape (a new object has no {@code /status} at all). On a conflict JOSDK's helper re-reads and
   * writes again; the result is put in JOSDK's cache so the next reconcile sees it.
   */
  static <S, R extends CustomResource<?, S>> void replace(R primary, S status, Context<R> context) {
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        primary,
        context,
        current -> {
          current.setStatus(status);
          return current;
        },
        changed -> context.getClient().resource(changed).updateStatus());
  }
}
