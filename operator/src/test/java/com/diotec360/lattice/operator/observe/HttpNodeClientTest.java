package com.diotec360.lattice.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the prober's client makes of an endpoint that is not a lattice node (an external member's
 * URL may point anywhere): a real HTTP server on loopback answers as a hosted page, a wrong path
 * or a redirect would. Each is a failed probe saying what was answered, never an observation.
 */
class HttpNodeClientTest {

  private HttpServer server;
  private String base;
  private final Map<String, String> seenHeaders = new ConcurrentHashMap<>();
  private volatile int status = 200;
  private volatile String contentType = "application/json";
  private volatile String body = "{}";
  private volatile String location;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestHeaders().forEach((k, v) -> seenHeaders.put(k.toLowerCase(), v.get(0)));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if (location != null) {
        exchange.getResponseHeaders().set("Location", location);
      }
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpNodeClient client() {
    return new HttpNodeClient(Duration.ofSeconds(2), 2);
  }

  @Test
  void anHtmlPageIsNotANode() {
    contentType = "text/html; charset=utf-8";
    body = "<html><body>Building your Space</body></html>";
    assertThatThrownBy(() -> client().probe(base))
        .isInstanceOf(IOException.class)
        .hasMessage("GET /health answered text/html, not the node contract's JSON");
  }

  @Test
  void aMissingPathSaysWhatWasAnswered() {
    status = 404;
    assertThatThrownBy(() -> client().probe(base)).hasMessage("GET /health answered 404");
  }

  @Test
  void jsonWithoutARootIsNotANode() {
    body = "{\"status\":\"healthy\"}";
    assertThatThrownBy(() -> client().probe(base))
        .hasMessage("GET /api/lattice/state answered JSON without merkle_root: not a lattice node");
  }

  @Test
  void aRedirectIsNeverFollowed() {
    status = 302;
    location = "https://elsewhere.example.com/health";
    body = "";
    assertThatThrownBy(() -> client().probe(base))
        .hasMessage("GET /health answered 302 (a redirect to elsewhere.example.com); the operator does not"
            + " follow redirects: use the final URL");
  }

  @Test
  void anExternalMembersHeadersAreSentAndNeverInAMessage() {
    status = 401;
    HttpNodeClient client = client();
    EndpointAccess access = new EndpointAccess(Map.of("Authorization", "Bearer hf_s3cr3t"), null);
    client.useAccess(url -> url.equals(base) ? access : EndpointAccess.NONE);
    assertThatThrownBy(() -> client.probe(base))
        .hasMessage("GET /health answered 401")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    assertThat(seenHeaders).containsEntry("authorization", "Bearer hf_s3cr3t");
    assertThat(access.toString()).doesNotContain("s3cr3t").contains("Authorization");
  }
}
