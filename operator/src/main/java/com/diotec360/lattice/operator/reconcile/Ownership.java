package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;

/**
 * Owner references, the way the garbage collector of a real cluster removes what the operator
 * made: a node's own objects have the node as controller; objects a lattice shares list every
 * member as a plain owner, so they outlive any member but the last.
 */
public final class Ownership {

  private Ownership() {}

  public static OwnerReference controlledBy(LatticeNode node) {
    return reference(node, true);
  }

  /** Non-controller references to every member, sorted by name (the plan's member order). */
  public static List<OwnerReference> sharedBy(List<LatticeNode> members) {
    return members.stream().map(m -> reference(m, false)).toList();
  }

  private static OwnerReference reference(LatticeNode node, boolean controller) {
    return new OwnerReferenceBuilder()
        .withApiVersion(node.getApiVersion())
        .withKind(node.getKind())
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .withController(controller)
        .withBlockOwnerDeletion(controller)
        .build();
  }
}
