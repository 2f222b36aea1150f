package com.diotec360.lattice.kubectl;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real reference nodes ({@code node-image/target/lattice-node.jar}) on loopback, HTTP-only and
 * without peers, so each keeps exactly the entries written to it: one stands for a member the
 * operator runs, another for an external member. {@link #close()} stops every process started.
 */
final class NodeProcesses implements AutoCloseable {

  static final Path JAR = Path.of(System.getProperty("lattice.nodeJar", "../node-image/target/lattice-node.jar"));
  /** Set on CI ({@code .ci/run}): a missing node jar fails the test instead of skipping it. */
  static final String REQUIRE = "LATTICE_REQUIRE_NODE_JAR";
  static final String SECRET = "node-write-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, String> urls = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  NodeProcesses(Path root) {
    this.root = root;
  }

  /** Skips the test class without the jar, saying how to build it; fails it where {@value #REQUIRE} is set. */
  static void requireJar() {
    String missing = "reference node jar missing at " + JAR.toAbsolutePath()
        + ": build it with ./mvnw -B -pl node-image package -DskipTests";
    if (!Files.isRegularFile(JAR) && System.getenv(REQUIRE) != null) {
      throw new IllegalStateException(REQUIRE + " is set, but the " + missing);
    }
    Assumptions.assumeTrue(Files.isRegularFile(JAR), missing);
  }

  /** Starts a node and waits until it answers /health; returns its base URL. */
  String start(String name) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString());
    Map<String, String> env = pb.environment();
    env.put("DIOTEC360_NODE_NAME", name);
    env.put("DIOTEC360_NODE_ROLE", "genesis-public");
    env.put("DIOTEC360_BIND_ADDRESS", "127.0.0.1");
    env.put("DIOTEC360_HTTP_PORT", Integer.toString(port));
    env.put("DIOTEC360_P2P_PORT", "0");
    env.put("DIOTEC360_P2P_ENABLED", "false");
    env.put("DIOTEC360_SYNC_MODE", "http");
    env.put("DIOTEC360_STATE_DIR", dir.resolve("state").toString());
    env.put("DIOTEC360_LATTICE_SECRET", SECRET);
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("node.log").toFile());
    processes.put(name, pb.start());
    String url = "http://127.0.0.1:" + port;
    urls.put(name, url);
    await("node " + name + " answers /health").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    return url;
  }

  String url(String name) {
    return urls.get(name);
  }

  /** Writes entries; returns their ids. */
  List<String> write(String name, String... data) throws IOException, InterruptedException {
    var body = JSON.createObjectNode();
    var entries = body.putArray("entries");
    for (String d : data) {
      entries.addObject().put("data", d);
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(urls.get(name) + "/api/lattice/entries"))
        .header("Authorization", "Bearer " + SECRET).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(name + " refused the write (" + response.statusCode() + "): " + response.body());
    }
    List<String> ids = new java.util.ArrayList<>();
    JSON.readTree(response.body()).path("ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  /** The node's Merkle root, from {@code GET /api/lattice/state}. */
  String root(String name) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(urls.get(name) + "/api/lattice/state")).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body()).path("merkle_root").asText();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    processes.values().forEach(Process::destroy);
    for (Process p : processes.values()) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
