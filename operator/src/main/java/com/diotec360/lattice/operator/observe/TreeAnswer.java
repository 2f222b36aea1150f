package com.diotec360.lattice.operator.observe;

import java.util.List;

/**
 * A node's answer to {@code POST /api/lattice/tree}: per asked prefix, its hash and either the
 * hashes of its 16 children (inner prefixes) or the ids of the entries under it (leaf prefixes).
 *
 * @param nodes one per asked prefix, in the order asked
 * @param bytes the size of the answer's body, for the cost of a comparison
 */
public record TreeAnswer(List<TreeNode> nodes, long bytes) {

  /** One trie node; exactly one of {@code children} and {@code ids} is non-null. */
  public record TreeNode(String prefix, String hash, List<String> children, List<String> ids) {}
}
