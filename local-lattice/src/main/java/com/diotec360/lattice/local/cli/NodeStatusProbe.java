package com.diotec360.lattice.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a node's state straight from its HTTP API, for the status table. (The operator's own
 * observer lives on the lattice-watch branch; once merged, the table can read its status instead.)
 */
public final class NodeStatusProbe {

  /** What a node says about itself. */
  public record NodeView(String merkleRoot, long version, String syncMode, int peerCount, String mode) {}

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  public Optional<NodeView> probe(String baseUrl) {
    try {
      JsonNode state = get(baseUrl + "/api/lattice/state");
      JsonNode p2p = get(baseUrl + "/api/lattice/p2p/status");
      return Optional.of(
          new NodeView(
              state.path("merkle_root").asText(""),
              state.path("version").asLong(),
              p2p.path("sync_mode").asText("?"),
              p2p.path("peer_count").asInt(),
              p2p.path("mode").asText("?")));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return mapper.readTree(response.body());
  }
}
