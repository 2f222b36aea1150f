package com.diotec360.lattice.embedded.read;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP streaming for watches, which the fabric8 mock web server cannot do: it answers every
 * request with one complete body, and a watch only as a WebSocket (what the fabric8 client uses).
 * kubectl, like client-go, watches over plain HTTP: a GET with {@code watch=true} answered 200 with
 * a chunked body of {@code WatchEvent} JSON lines that stays open. Without this, the mock tries to
 * upgrade that request to a WebSocket and kubectl get -w fails with BadRequest.
 *
 * <p>{@link #install} wraps the request handler the mock gives its Vert.x HTTP server: a GET with
 * {@code watch} that asks for no WebSocket upgrade goes through the dispatcher (so RBAC and every
 * check apply) marked with {@link #MARKER}; a {@link WatchStream} answer is then streamed on the
 * connection, any other answer sent as is. Every other request, WebSocket watches included, reaches
 * the mock's handler unchanged.
 *
 * <p>The same hook serves requests whose answer may come later ({@link DeferredResponse}, the
 * service proxy's): their paths are given to {@link #install}; they are read whole, dispatched on
 * the event loop marked with {@link DeferredResponse#MARKER}, and a deferred answer is sent when it
 * completes, so a slow backend never holds the event loop every other request needs.
 *
 * <p>The same hook also turns off HTTP/2 over cleartext ({@code Upgrade: h2c}), which Vert.x
 * accepts by default: a Go server such as kube-apiserver ignores that header and answers in
 * HTTP/1.1. With it on, the JDK client (fabric8's default transport) upgraded its first request
 * and then read answers bigger than one HTTP/2 window as frames: lists failed ("Frame type(120)
 * ... exceeds MAX_FRAME_SIZE") and an operator's informer died of a garbled watch event.
 */
public final class StreamingWatches {

  /** Set on the requests this class dispatches: the client reads an HTTP stream. */
  static final String MARKER = "X-Lattice-Http-Watch";

  private static final Logger LOG = Logger.getLogger(StreamingWatches.class.getName());

  private StreamingWatches() {}

  /**
   * Makes {@code server} (not yet started) stream HTTP watches answered by {@code dispatcher}. If
   * the mock's internals are not as expected, logs why and leaves the server as it was.
   */
  public static MockWebServer install(MockWebServer server, Dispatcher dispatcher) {
    return install(server, dispatcher, uri -> false);
  }

  /**
   * As {@link #install(MockWebServer, Dispatcher)}, and requests whose URI (path and query)
   * {@code deferred} accepts may be answered with a {@link DeferredResponse}.
   */
  public static MockWebServer install(MockWebServer server, Dispatcher dispatcher, Predicate<String> deferred) {
    try {
      Field field = MockWebServer.class.getDeclaredField("vertx");
      field.setAccessible(true);
      Vertx vertx = (Vertx) field.get(server);
      field.set(server, proxy(Vertx.class, vertx, (method, args) -> {
        if (method.getName().equals("createHttpServer") && args != null && args.length == 1
            && args[0] instanceof HttpServerOptions options) {
          options.setHttp2ClearTextEnabled(false); // HTTP/1.1 only, as kube-apiserver: see above
        }
        Object result = method.invoke(vertx, args);
        return method.getName().equals("createHttpServer")
            ? server(vertx, (HttpServer) result, dispatcher, deferred) : result;
      }));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.WARNING, "the mock web server's internals changed; kubectl get -w will not work", e);
    }
    return server;
  }

  private interface Call {
    Object invoke(Method method, Object[] args) throws ReflectiveOperationException;
  }

  private static <T> T proxy(Class<T> type, T target, Call call) {
    return type.cast(Proxy.newProxyInstance(StreamingWatches.class.getClassLoader(), new Class<?>[] {type},
        (self, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? self == args[0] : method.invoke(target, args);
          }
          try {
            return call.invoke(method, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }));
  }

  @SuppressWarnings("unchecked")
  private static HttpServer server(Vertx vertx, HttpServer real, Dispatcher dispatcher, Predicate<String> deferred) {
    return proxy(HttpServer.class, real, (method, args) -> {
      if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
        Handler<HttpServerRequest> mock = (Handler<HttpServerRequest>) args[0];
        real.requestHandler(request -> {
          if (HttpMethod.fromVertx(request.method()) != null && deferred.test(request.uri())) {
            serveDeferred(vertx, request, dispatcher); // first: a proxied ?watch=true is no watch here
          } else if (isHttpWatch(request)) {
            serve(vertx, request, dispatcher);
          } else {
            mock.handle(request);
          }
        });
        return real;
      }
      return method.invoke(real, args);
    });
  }

  private static boolean isHttpWatch(HttpServerRequest request) {
    if (request.method() != io.vertx.core.http.HttpMethod.GET) {
      return false;
    }
    String upgrade = request.getHeader("Upgrade");
    if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      return false;
    }
    String watch = request.getParam("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  private static void serve(Vertx vertx, HttpServerRequest request, Dispatcher dispatcher) {
    HttpServerResponse response = request.response();
    MockResponse answer;
    try {
      RecordedRequest recorded = new RecordedRequest(
          request.version().alpnName().toUpperCase(Locale.ROOT), HttpMethod.GET, request.uri(),
          Headers.builder().addAll(request.headers()).add(MARKER, "true").build(), new Buffer(new byte[0]));
      answer = dispatcher.dispatch(recorded);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a watch failed", e);
      response.setStatusCode(500).end();
      return;
    }
    if (answer instanceof WatchStream stream) {
      stream.start(new VertxSink(vertx, response));
      return;
    }
    send(response, answer);
  }

  private static void serveDeferred(Vertx vertx, HttpServerRequest request, Dispatcher dispatcher) {
    HttpServerResponse response = request.response();
    io.vertx.core.Context context = vertx.getOrCreateContext();
    request.body().onComplete(body -> {
      if (body.failed()) {
        response.setStatusCode(400).end();
        return;
      }
      MockResponse answer;
      try {
        RecordedRequest recorded = new RecordedRequest(
            request.version().alpnName().toUpperCase(Locale.ROOT), HttpMethod.fromVertx(request.method()),
            request.uri(), Headers.builder().addAll(request.headers()).add(DeferredResponse.MARKER, "true").build(),
            new Buffer(body.result() == null ? new byte[0] : body.result().getBytes()));
        answer = dispatcher.dispatch(recorded);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a request failed", e);
        response.setStatusCode(500).end();
        return;
      }
      if (answer instanceof DeferredResponse later) {
        later.whenDone(done -> context.runOnContext(v -> send(response, done)));
      } else {
        send(response, answer);
      }
    });
  }

  private static void send(HttpServerResponse response, MockResponse answer) {
    if (response.closed() || response.ended()) {
      return; // the client went away meanwhile
    }
    if (answer == null) {
      response.setStatusCode(500).end();
      return;
    }
    response.setStatusCode(answer.code());
    answer.getHeaders().toMultimap().forEach((key, values) -> response.headers().add(key, values));
    if (answer.getBody() != null && answer.getBody().size() > 0) {
      response.end(io.vertx.core.buffer.Buffer.buffer(answer.getBody().getBytes()));
    } else {
      response.end();
    }
  }

  /** A chunked Vert.x response; writes are safe from any thread. */
  private static final class VertxSink implements WatchSink {
    private final Vertx vertx;
    private final HttpServerResponse response;
    private final AtomicBoolean closed = new AtomicBoolean();

    VertxSink(Vertx vertx, HttpServerResponse response) {
      this.vertx = vertx;
      this.response = response;
    }

    @Override
    public void open(String contentType) {
      response.setStatusCode(200)
          .putHeader("Content-Type", contentType)
          .putHeader("Cache-Control", "no-cache, private")
          .setChunked(true);
      response.writeHead();
    }

    @Override
    public void send(String line) {
      if (!closed.get() && !response.ended() && !response.closed()) {
        response.write(line + "\n");
      }
    }

    @Override
    public void close() {
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    }

    @Override
    public boolean isClosed() {
      return closed.get() || response.ended() || response.closed();
    }

    @Override
    public void onClose(Runnable action) {
      Runnable once = () -> {
        if (closed.compareAndSet(false, true)) {
          action.run();
        }
      };
      response.closeHandler(v -> once.run());
      response.endHandler(v -> once.run());
    }

    @Override
    public void closeAfter(long seconds) {
      vertx.setTimer(Math.max(1, seconds) * 1000, id -> close());
    }
  }
}
