package com.diotec360.lattice.embedded.read;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.function.Consumer;

/**
 * The dispatcher's answer to an HTTP (not WebSocket) watch: not a body but a stream, which
 * {@link StreamingWatches} opens on the connection and hands to {@code start}.
 */
final class WatchStream extends MockResponse {

  private final Consumer<WatchSink> start;

  WatchStream(Consumer<WatchSink> start) {
    this.start = start;
    setResponseCode(200);
    setHeader("Content-Type", "application/json");
  }

  void start(WatchSink sink) {
    start.accept(sink);
  }
}
