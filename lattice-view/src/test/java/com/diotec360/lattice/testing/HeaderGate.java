package com.diotec360.lattice.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * What a private hosted node looks like from outside: a loopback HTTP front that answers only
 * requests carrying the right headers and passes them on to a real node behind it. Under {@code
 * /hosted} it forwards (401 without the headers); under {@code /echo} it refuses every request and
 * repeats the headers it got in its answer, as a careless server might. It records every request's
 * headers, so a test can tell what reached it.
 */
public final class HeaderGate implements AutoCloseable {

  private final HttpServer server;
  private final String backend;
  private final Map<String, String> required;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** Every request's headers, in order. */
  public final List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();

  public HeaderGate(String backend, Map<String, String> required) throws IOException {
    this(backend, required, null);
  }

  /** With {@code tls}, an https front (a hosted node with a certificate from a private CA). */
  public HeaderGate(String backend, Map<String, String> required, SSLContext tls) throws IOException {
    this.backend = backend;
    this.required = required;
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      this.server = HttpServer.create(loopback, 0);
    } else {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      this.server = https;
    }
    server.createContext("/hosted", this::forward);
    server.createContext("/echo", this::echo);
    server.start();
  }

  public String url(String prefix) {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + prefix;
  }

  private void forward(HttpExchange exchange) throws IOException {
    seen.add(Map.copyOf(exchange.getRequestHeaders()));
    for (var e : required.entrySet()) {
      if (!e.getValue().equals(exchange.getRequestHeaders().getFirst(e.getKey()))) {
        answer(exchange, 401, "{\"error\":\"missing or wrong " + e.getKey() + "\"}");
        return;
      }
    }
    String path = exchange.getRequestURI().getRawPath().substring("/hosted".length());
    byte[] body = exchange.getRequestBody().readAllBytes();
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(backend + path))
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .method(exchange.getRequestMethod(), body.length == 0
              ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      answer(exchange, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(exchange, 502, "interrupted");
    }
  }

  private void echo(HttpExchange exchange) throws IOException {
    seen.add(Map.copyOf(exchange.getRequestHeaders()));
    StringBuilder body = new StringBuilder("denied; you sent");
    required.keySet().forEach(k -> body.append(' ').append(k).append('=').append(exchange.getRequestHeaders().getFirst(k)));
    answer(exchange, 403, body.toString());
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
