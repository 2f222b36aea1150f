package com.diotec360.lattice.embedded.read;

/** Where a streamed watch writes its events: one chunked HTTP response. */
interface WatchSink {

  /** Sends the status line and headers (200, chunked). */
  void open(String contentType);

  /** Writes one line (a WatchEvent's JSON); a no-op once the client is gone. */
  void send(String line);

  /** Ends the response. */
  void close();

  boolean isClosed();

  /** Runs {@code action} once when the client goes away or the response ends. */
  void onClose(Runnable action);

  /** Ends the response after {@code seconds} ({@code timeoutSeconds}). */
  void closeAfter(long seconds);
}
