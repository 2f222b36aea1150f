package com.diotec360.lattice.view;

import java.util.List;

/**
 * One lattice in one namespace: its header and its members.
 *
 * @param members how many LatticeNodes name this lattice here (counted, not copied from status)
 * @param referenceRoot the root the operator compares members with, or "-" (no quorum)
 * @param agreeing members holding the reference root, as the operator counted them
 * @param quorum "yes" when a reference root exists, "NoQuorum" when none has a majority
 * @param roots distinct roots the members hold (a lattice with more than one is split)
 * @param partitions the members grouped by root, e.g. {@code 07a313c836d3: node1, node2 | 5df3daee3a0c: node3}
 * @param links who reaches whom, as the operator summarised it ({@code status.lattice.partitions}:
 *     P2P groups and failing HTTP polls), {@value #CONNECTED} when it found nothing to say, "-"
 *     before the operator has written a lattice summary
 * @param unreachable members whose probes fail
 * @param health the worst health of its members (RED when the lattice has no quorum)
 */
public record LatticeView(
    String namespace,
    String name,
    int members,
    String referenceRoot,
    String agreeing,
    String quorum,
    int roots,
    String partitions,
    String links,
    int unreachable,
    Health health,
    List<NodeView> nodes) {

  /** What {@code links} says when every answering member is in one P2P group and no HTTP poll fails. */
  public static final String CONNECTED = "one P2P group, no failing HTTP poll";

  public String key() {
    return namespace + "/" + name;
  }
}
