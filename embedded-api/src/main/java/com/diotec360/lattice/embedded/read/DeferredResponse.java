package com.diotec360.lattice.embedded.read;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An answer that is not ready when the dispatcher returns, such as a proxied backend's (see
 * {@code ServiceProxy}). The mock web server calls the dispatcher on its one Vert.x event loop,
 * so waiting there for a slow backend would stall every other request of the API. Requests that
 * {@link StreamingWatches} routes this way carry {@link #MARKER}; their answer is sent on the
 * connection when it completes, while the event loop goes on serving others.
 */
public final class DeferredResponse extends MockResponse {

  /** Set on the requests whose answer may be deferred. */
  static final String MARKER = "X-Lattice-Deferred";

  private final CompletableFuture<MockResponse> answer;

  private DeferredResponse(CompletableFuture<MockResponse> answer) {
    this.answer = answer;
    setResponseCode(500); // never sent as such
  }

  /**
   * The answer to {@code request}: deferred when the request came the way that sends deferred
   * answers, else waited for here (should the mock's internals ever keep {@link StreamingWatches}
   * out, the API still answers, only blocking meanwhile).
   */
  public static MockResponse of(RecordedRequest request, CompletableFuture<MockResponse> answer) {
    return request.getHeader(MARKER) != null ? new DeferredResponse(answer) : answer.join();
  }

  void whenDone(Consumer<MockResponse> send) {
    answer.whenComplete((response, failure) -> send.accept(response));
  }
}
