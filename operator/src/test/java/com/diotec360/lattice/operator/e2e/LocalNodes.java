package com.diotec360.lattice.operator.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Real reference nodes ({@code node-image/target/lattice-node.jar}) on loopback, each with free
 * ports, its own state directory and a peer-list file the test rewrites to peer or isolate it.
 * Every process it starts is stopped by {@link #close()}.
 */
public final class LocalNodes implements AutoCloseable {

  static final Path JAR =
      Path.of(System.getProperty("lattice.repoRoot", ".."), "node-image/target/lattice-node.jar")
          .toAbsolutePath()
          .normalize();

  private record Node(String name, int httpPort, int p2pPort, Path dir) {
    String url() {
      return "http://127.0.0.1:" + httpPort;
    }
  }

  private final Path root;
  private String secret;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public LocalNodes(Path root, String secret) {
    this.root = root;
    this.secret = secret;
  }

  /** The lattice secret nodes started from now on use (known only once the operator made it). */
  public void useSecret(String secret) {
    this.secret = secret;
  }

  public static boolean available() {
    return Files.isRegularFile(JAR);
  }

  /** Set on CI ({@code .ci/run}): a missing node jar fails the tests that run nodes instead of skipping them. */
  public static final String REQUIRE = "LATTICE_REQUIRE_NODE_JAR";

  /**
   * Skips the calling test class when the reference node jar has not been built, saying how to
   * build it; fails it instead where {@link #REQUIRE} is set, so CI never passes without running it.
   */
  public static void requireJar() {
    String missing = "reference node jar missing at " + JAR
        + ": build it with ./mvnw -B -pl node-image package -DskipTests";
    if (!available() && System.getenv(REQUIRE) != null) {
      throw new IllegalStateException(REQUIRE + " is set, but the " + missing);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(available(), missing);
  }

  public String url(String name) {
    return nodes.get(name).url();
  }

  /** The resolver the operator uses in these tests: node name → its loopback URL. */
  String baseUrl(String name, String namespace) {
    Node n = nodes.get(name);
    return n == null ? "http://127.0.0.1:1" : n.url();
  }

  /** Reserves ports and a directory; call {@link #start} to run it. */
  public void define(String name) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    nodes.put(name, new Node(name, freePort(), freePort(), dir));
    Files.writeString(dir.resolve("peers"), "");
  }

  public void start(String name) throws IOException {
    start(name, "96m");
  }

  /** Starts the node with this heap (a benchmark's million entries need more than tests do). */
  public void start(String name, String heap) throws IOException {
    Node n = nodes.get(name);
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-jar", JAR.toString());
    Map<String, String> env = pb.environment();
    env.put("DIOTEC360_NODE_NAME", name);
    env.put("DIOTEC360_NODE_ROLE", "genesis");
    env.put("DIOTEC360_BIND_ADDRESS", "127.0.0.1");
    env.put("DIOTEC360_HTTP_PORT", Integer.toString(n.httpPort()));
    env.put("DIOTEC360_P2P_PORT", Integer.toString(n.p2pPort()));
    env.put("DIOTEC360_P2P_ENABLED", "true");
    env.put("DIOTEC360_SYNC_MODE", "auto");
    env.put("DIOTEC360_STATE_DIR", n.dir().resolve("state").toString());
    env.put("DIOTEC360_VAULT_DIR", n.dir().resolve("vault").toString());
    env.put("DIOTEC360_SENTINEL_DIR", n.dir().resolve("sentinel").toString());
    env.put("DIOTEC360_PEERS_FILE", n.dir().resolve("peers").toString());
    env.put("DIOTEC360_PEERS_FILE_POLL_MS", "200");
    env.put("DIOTEC360_HEARTBEAT_INTERVAL", "1");
    env.put("DIOTEC360_PEERLESS_TIMEOUT", "3");
    env.put("DIOTEC360_HTTP_POLL_INTERVAL", "1");
    env.put("DIOTEC360_LATTICE_SECRET", secret);
    pb.redirectErrorStream(true);
    pb.redirectOutput(n.dir().resolve("node.log").toFile());
    processes.put(name, pb.start());
    Awaitility.await("node " + name + " answers /health")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> get(name, "/health").statusCode() == 200);
  }

  /** The node's P2P port on loopback (a test that proxies its links forwards this one too). */
  public int p2pPort(String name) {
    return nodes.get(name).p2pPort();
  }

  /** Rewrites the node's peer-list file with these nodes' loopback URLs. */
  void peer(String name, String... peers) throws IOException {
    List<String> urls = new ArrayList<>();
    for (String p : peers) {
      urls.add(url(p));
    }
    peerUrls(name, urls);
  }

  /**
   * Rewrites the node's peer-list file with these base URLs, as the lattice's peer-list ConfigMap
   * mounted in its pod would hold them (the node re-reads it within 200 ms).
   */
  public void peerUrls(String name, List<String> urls) throws IOException {
    Path file = nodes.get(name).dir().resolve("peers");
    Path tmp = file.resolveSibling("peers.tmp");
    Files.writeString(tmp, urls.isEmpty() ? "" : String.join("\n", urls) + "\n");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Peers every given node with all the others. */
  void peerAll(String... names) throws IOException {
    for (String n : names) {
      peer(n, java.util.Arrays.stream(names).filter(o -> !o.equals(n)).toArray(String[]::new));
    }
  }

  /** Writes many entries in one call ({@code {"entries":[...]}}, keep it under 1 MiB). */
  public void writeBatch(String name, List<String> data) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < data.size(); i++) {
      body.append(i == 0 ? "" : ",").append("{\"data\":\"").append(data.get(i)).append("\"}");
    }
    body.append("]}");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url(name) + "/api/lattice/entries"))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("batch write on " + name + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** Writes one entry; returns its id as the node answered it. */
  public String write(String name, String data) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url(name) + "/api/lattice/entries"))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"" + data + "\"}"))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("write on " + name + " answered " + response.statusCode() + ": " + response.body());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("ids").path(0).asText();
  }

  /** The Merkle root the node reports now ({@code /api/lattice/state}). */
  public String merkleRoot(String name) throws IOException, InterruptedException {
    HttpResponse<String> response = get(name, "/api/lattice/state");
    if (response.statusCode() != 200) {
      throw new IOException(name + " answered " + response.statusCode() + " for its state: " + response.body());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("merkle_root").asText();
  }

  HttpResponse<String> get(String name, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(name) + path)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  void stop(String name) throws InterruptedException {
    Process p = processes.remove(name);
    if (p != null) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (String name : List.copyOf(processes.keySet())) {
      stop(name);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
