package com.diotec360.lattice.operator.support;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** LatticeNodes for unit tests, as the API server would return them (uid, namespace, time). */
public final class Nodes {

  private Nodes() {}

  public static LatticeNode node(String name, String lattice) {
    return node(name, lattice, "2026-11-01T00:00:00Z");
  }

  public static LatticeNode node(String name, String lattice, String created) {
    LatticeNode node = new LatticeNode();
    node.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("lattice")
            .withUid("uid-" + name)
            .withGeneration(1L)
            .withCreationTimestamp(created)
            .build());
    LatticeNodeSpec spec = new LatticeNodeSpec();
    spec.setLattice(lattice);
    spec.setRole("genesis-primary");
    node.setSpec(spec);
    return node;
  }

  /** A LatticeNode as a user would create it: name, namespace, lattice and role only. */
  public static LatticeNode toCreate(String name, String namespace, String lattice) {
    LatticeNode node = new LatticeNode();
    node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    LatticeNodeSpec spec = new LatticeNodeSpec();
    spec.setLattice(lattice);
    spec.setRole("genesis-primary");
    node.setSpec(spec);
    return node;
  }
}
