package com.diotec360.lattice.operator.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Many lightweight fake nodes on loopback: {@code servers} JDK HttpServers, node i served under
 * {@code /n/i} of server {@code i % servers}, answering the three probed endpoints. Each node's
 * root and sync mode can be flipped to measure detection latency.
 */
final class StubNodes implements AutoCloseable {

  private final List<HttpServer> servers = new ArrayList<>();
  private final String[] roots;
  private final String[] modes;
  private final String[] since;

  StubNodes(int count, int serverCount) throws IOException {
    roots = new String[count];
    modes = new String[count];
    since = new String[count];
    String now = Instant.now().toString();
    for (int i = 0; i < count; i++) {
      roots[i] = "a".repeat(64);
      modes[i] = "P2P";
      since[i] = now;
    }
    for (int s = 0; s < serverCount; s++) {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
      server.setExecutor(Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "stub-node");
        t.setDaemon(true);
        return t;
      }));
      server.createContext("/n/", this::handle);
      server.start();
      servers.add(server);
    }
  }

  String url(int node) {
    HttpServer s = servers.get(node % servers.size());
    return "http://127.0.0.1:" + s.getAddress().getPort() + "/n/" + node;
  }

  void setRoot(int node, String root) {
    roots[node] = root;
  }

  void setMode(int node, String mode) {
    modes[node] = mode;
    since[node] = Instant.now().toString();
  }

  private void handle(HttpExchange ex) throws IOException {
    String[] parts = ex.getRequestURI().getPath().split("/", 4); // "", "n", "<i>", "rest"
    int i = Integer.parseInt(parts[2]);
    String rest = "/" + parts[3];
    String body = switch (rest) {
      case "/health" -> "{\"status\":\"healthy\",\"node_name\":\"n" + i + "\"}";
      case "/api/lattice/state" -> "{\"success\":true,\"merkle_root\":\"" + roots[i]
          + "\",\"version\":5,\"entries\":5,\"node_name\":\"n" + i + "\"}";
      case "/api/lattice/p2p/status" -> "{\"success\":true,\"started\":true,\"peer_count\":2,"
          + "\"has_peers\":true,\"http_sync_enabled\":true,\"sync_mode\":\"" + modes[i]
          + "\",\"heartbeat_active\":true,\"mode\":\"auto\",\"sync_mode_since\":\"" + since[i]
          + "\",\"seconds_without_peers\":0,\"p2p_port\":9000}";
      default -> null;
    };
    byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
