package com.diotec360.lattice.operator.observe;

import com.diotec360.lattice.merkle.TreeAnswer;
import java.io.IOException;

/** Talks to one lattice node over its HTTP API. Implementations must bound every call in time. */
public interface NodeClient extends AutoCloseable {

  /** GET /health, /api/lattice/state and /api/lattice/p2p/status. */
  NodeObservation probe(String baseUrl) throws IOException;

  /** POST /api/lattice/sync/switch?mode=... with the lattice secret as bearer token. */
  void switchMode(String baseUrl, String mode, String token) throws IOException;

  /**
   * One level of the node's Merkle trie: {@code POST /api/lattice/tree} with these prefixes (read
   * only, no token). A node that does not serve it answers {@link UnsupportedOperationException}.
   */
  default TreeAnswer tree(String baseUrl, java.util.List<String> prefixes) throws IOException {
    throw new UnsupportedOperationException("this node client cannot read Merkle trees");
  }

  /**
   * {@code POST /api/lattice/sync/resync} with {@code {"from": fromUrl}} and the lattice secret:
   * one anti-entropy run with that peer now. Returns the entries pulled. A whole anti-entropy run
   * may take long, so it is bounded by a longer timeout than a probe and callers run it off the
   * reconcile thread.
   */
  default int resync(String baseUrl, String fromUrl, String token) throws IOException {
    throw new UnsupportedOperationException("this node client cannot ask for a resync");
  }

  /**
   * Where to look up the headers and CA a call to a base URL needs (external members, {@link
   * ExternalMembers#access}); the default client sends none.
   */
  default void useAccess(java.util.function.Function<String, EndpointAccess> access) {}

  /** Releases connections and threads; the default has none. */
  @Override
  default void close() {}
}
