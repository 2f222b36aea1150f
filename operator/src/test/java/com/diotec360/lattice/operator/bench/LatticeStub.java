package com.diotec360.lattice.operator.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nodes of whole lattices taking data, on one loopback HTTP server: node {@code NAME} under
 * {@code /n/NAME/}, answering {@code /health}, {@code /api/lattice/state} and
 * {@code /api/lattice/p2p/status} as docs/node-contract.md says. While {@link #moving} is on, a
 * lattice's Merkle root and version advance as soon as every member has been asked for its state
 * at the current one: each probe cycle sees a new root, and all members of a lattice agree on it
 * within the cycle (a lattice taking writes that every member has already synced when probed), so
 * the verdicts stay Consistent while the roots move.
 */
final class LatticeStub implements AutoCloseable {

  private static final class Lattice {
    final Set<String> members;
    final Set<String> asked = new HashSet<>();
    long epoch;

    Lattice(Set<String> members) {
      this.members = members;
    }
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, Lattice> latticeOf = new ConcurrentHashMap<>();
  private final AtomicLong roots = new AtomicLong();
  private final String since = Instant.now().toString();
  private volatile boolean moving;

  LatticeStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    threads = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "lattice-stub");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/n/", this::handle);
    server.start();
  }

  /** The resolver template for {@link OperatorProcess}: {@code http://127.0.0.1:PORT/n/{name}}. */
  String template() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/n/{name}";
  }

  /** Serves these nodes as one lattice. */
  void lattice(List<String> members) {
    Lattice l = new Lattice(Set.copyOf(members));
    members.forEach(m -> latticeOf.put(m, l));
  }

  /** Roots advance once per probe cycle (true) or stand still (false). */
  void moving(boolean on) {
    moving = on;
  }

  /** How many times a lattice's root advanced so far, over all lattices. */
  long rootChanges() {
    return roots.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    String[] parts = ex.getRequestURI().getPath().split("/", 4); // "", "n", "<name>", "rest"
    String name = parts[2];
    Lattice lattice = latticeOf.get(name);
    String rest = parts.length > 3 ? "/" + parts[3] : "/";
    String body = lattice == null ? null : switch (rest) {
      case "/health" -> "{\"status\":\"healthy\",\"node_name\":\"" + name + "\",\"role\":\"genesis-primary\"}";
      case "/api/lattice/state" -> state(name, lattice);
      case "/api/lattice/p2p/status" -> "{\"success\":true,\"started\":true,\"peer_count\":" + (lattice.members.size() - 1)
          + ",\"has_peers\":" + (lattice.members.size() > 1) + ",\"http_sync_enabled\":true,\"sync_mode\":\"P2P\","
          + "\"heartbeat_active\":true,\"mode\":\"auto\",\"sync_mode_since\":\"" + since
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

  private String state(String name, Lattice lattice) {
    long epoch;
    synchronized (lattice) {
      epoch = lattice.epoch;
      if (moving) {
        lattice.asked.add(name);
        if (lattice.asked.containsAll(lattice.members)) {
          lattice.asked.clear();
          lattice.epoch++;
          roots.incrementAndGet();
        }
      }
    }
    long version = 1000 + epoch;
    return "{\"success\":true,\"merkle_root\":\"" + String.format("%064x", version) + "\",\"version\":" + version
        + ",\"entries\":" + version + ",\"data_bytes\":" + (version * 64) + ",\"node_name\":\"" + name + "\"}";
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
