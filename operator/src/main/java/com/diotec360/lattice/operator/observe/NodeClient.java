package com.diotec360.lattice.operator.observe;

import java.io.IOException;

/** Talks to one lattice node over its HTTP API. Implementations must bound every call in time. */
public interface NodeClient extends AutoCloseable {

  /** GET /health, /api/lattice/state and /api/lattice/p2p/status. */
  NodeObservation probe(String baseUrl) throws IOException;

  /** POST /api/lattice/sync/switch?mode=... with the lattice secret as bearer token. */
  void switchMode(String baseUrl, String mode, String token) throws IOException;

  /** Releases connections and threads; the default has none. */
  @Override
  default void close() {}
}
