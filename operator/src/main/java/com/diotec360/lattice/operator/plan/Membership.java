package com.diotec360.lattice.operator.plan;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Who is a member of a lattice: the one rule the judge, the disruption budget, the peer list, the
 * roller and the suspend check all use. A member is a LatticeNode of the namespace whose {@code
 * spec.lattice} names the lattice and which is not being deleted; suspended members are members
 * (they count in the quorum's denominator and the budget, they are not probed). A node being
 * deleted has left: it is no longer judged, peered, budgeted or waited for.
 */
public final class Membership {

  private Membership() {}

  /** The members of {@code lattice} among {@code nodes} (one namespace), sorted by name. */
  public static List<LatticeNode> of(Stream<LatticeNode> nodes, String lattice) {
    return nodes
        .filter(n -> isMemberOf(n, lattice))
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .toList();
  }

  /** True when {@code node} is a member of {@code lattice}. */
  public static boolean isMemberOf(LatticeNode node, String lattice) {
    return node.getSpec() != null
        && Objects.equals(lattice, node.getSpec().getLattice())
        && node.getMetadata().getDeletionTimestamp() == null;
  }

  /** The lattice a node names, or null when it names none. */
  public static String latticeOf(LatticeNode node) {
    return node.getSpec() == null ? null : node.getSpec().getLattice();
  }
}
