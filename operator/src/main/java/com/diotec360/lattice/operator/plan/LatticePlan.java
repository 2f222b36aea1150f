package com.diotec360.lattice.operator.plan;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the lattice's shared objects are built from, computed once per lattice reconcile and handed
 * to its dependents through the workflow context.
 *
 * @param lattice the Lattice (their controller owner)
 * @param members its members ({@link Membership})
 * @param settings the lattice-wide settings in effect
 */
public record LatticePlan(Lattice lattice, List<LatticeNode> members, LatticeSettings settings) {

  /** Key of the plan in the managed workflow context. */
  public static final String KEY = "lattice.latticePlan";

  public String name() {
    return lattice.getMetadata().getName();
  }

  public String namespace() {
    return lattice.getMetadata().getNamespace();
  }

  /**
   * The lattice's one peer list: every member's in-cluster address, then every external member's
   * URL, without duplicates. Each node finds its own address in it and leaves itself out.
   */
  public List<String> peers() {
    List<String> peers = new ArrayList<>();
    for (LatticeNode member : members) {
      peers.add(ResourceNames.nodeUrl(member.getMetadata().getName(), namespace()));
    }
    List<ExternalMember> external = lattice.getSpec() == null
        ? List.of()
        : Objects.requireNonNullElse(lattice.getSpec().getExternalMembers(), List.of());
    for (ExternalMember e : external) {
      if (!peers.contains(e.getUrl())) {
        peers.add(e.getUrl());
      }
    }
    return List.copyOf(peers);
  }

  /** The plan the lattice reconciler put into this reconcile's workflow context. */
  public static LatticePlan of(Context<Lattice> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, LatticePlan.class);
  }
}
