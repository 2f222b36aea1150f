package com.diotec360.lattice.merkle;

import java.io.IOException;
import java.util.List;

/**
 * One node's Merkle trie, one level at a time: {@code POST /api/lattice/tree} with these
 * prefixes, however the node is reached (directly by the operator, through the API server's
 * service proxy by {@code kubectl lattice diff}). Implementations bound every call in time.
 */
@FunctionalInterface
public interface TreeReader {

  /**
   * The trie nodes at these prefixes.
   *
   * @throws UnsupportedOperationException when the node does not serve the tree (an older node
   *     image): the message says so, and the comparison becomes root-only
   * @throws IOException when the node could not be asked or answered badly
   */
  TreeAnswer tree(List<String> prefixes) throws IOException;
}
