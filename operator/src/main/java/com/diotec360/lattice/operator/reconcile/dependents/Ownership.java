package com.diotec360.lattice.operator.reconcile.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * Owner references, the way the garbage collector of a real cluster removes what the operator
 * made: a node's own objects have the node as controller; what a lattice shares has the Lattice
 * as controller, so it goes with the Lattice and has one writer.
 */
public final class Ownership {

  private Ownership() {}

  /** A controller reference to {@code owner} (a LatticeNode or a Lattice). */
  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
