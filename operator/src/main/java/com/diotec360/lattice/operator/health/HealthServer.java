package com.diotec360.lattice.operator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator pod's HTTP endpoints: {@code /healthz} (the process and its event sources are
 * alive), {@code /readyz} (the operator started and every informer is healthy) and, when a scrape
 * function is given, {@code /metrics}.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  public HealthServer(
      InetSocketAddress address, Supplier<RuntimeInfo> runtime, Supplier<String> metrics)
      throws IOException {
    server = HttpServer.create(address, 16);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "health-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> {
      RuntimeInfo info = runtime.get();
      if (info == null) {
        respond(ex, 503, "operator not created yet\n");
      } else if (info.allEventSourcesAreHealthy()) {
        respond(ex, 200, "ok\n");
      } else {
        respond(ex, 503, "event sources unhealthy: " + info.unhealthyEventSources().keySet() + "\n");
      }
    });
    server.createContext("/readyz", ex -> {
      RuntimeInfo info = runtime.get();
      boolean ready = info != null && info.isStarted() && info.allEventSourcesAreHealthy();
      respond(ex, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
    });
    if (metrics != null) {
      server.createContext("/metrics", ex -> respond(ex, 200, metrics.get()));
    }
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
