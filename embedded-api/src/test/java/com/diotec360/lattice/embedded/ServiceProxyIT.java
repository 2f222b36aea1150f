package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service proxy subresource ({@code services/{name}/proxy/...}) against a real loopback
 * backend that echoes what it got: forwarded like a real kube-apiserver forwards, the backend's
 * answers passed back unchanged, the real server's Status where there is no backend to reach.
 */
class ServiceProxyIT {

  private static final String NS = TestApi.NS;
  private static final String PROXY = "/api/v1/namespaces/" + NS + "/services/";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private EmbeddedApiServer api;
  private HttpServer backend;
  private ExecutorService backendThreads;
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private final CountDownLatch slowRelease = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    backendThreads = Executors.newCachedThreadPool();
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.setExecutor(backendThreads);
    backend.createContext("/", this::echo);
    backend.start();

    api = TestApi.start();
    api.client().services().inNamespace(NS).resource(new ServiceBuilder()
        .withNewMetadata().withName("node-0").endMetadata()
        .withNewSpec()
        .addNewPort().withName("http").withPort(8000).endPort()
        .addNewPort().withName("p2p").withPort(9000).endPort()
        .endSpec().build()).create();
    api.client().services().inNamespace(NS).resource(new ServiceBuilder()
        .withNewMetadata().withName("single").endMetadata()
        .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
    // like local-lattice: the http port of each Service goes to the backend, p2p nowhere
    api.serviceBackends((namespace, service, port, portName) ->
        NS.equals(namespace) && (portName.equals("http") || port == 80) ? Optional.of(backendUrl()) : Optional.empty());
    api.resetWrites();
  }

  @AfterEach
  void stop() {
    slowRelease.countDown();
    if (api != null) {
      api.close();
    }
    backend.stop(0);
    backendThreads.shutdownNow();
  }

  @Test
  void aPostIsForwardedWithItsPathQueryBodyAndContentType() {
    Answer answer = send("POST", PROXY + "node-0:http/proxy/api/lattice/tree?depth=2&x=a%20b",
        Map.of("Content-Type", "application/json"), "{\"prefixes\":[\"\"]}");

    assertThat(answer.code()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    JsonNode seen = answer.json();
    assertThat(seen.path("method").asText()).isEqualTo("POST");
    assertThat(seen.path("path").asText()).isEqualTo("/api/lattice/tree");
    assertThat(seen.path("query").asText()).isEqualTo("depth=2&x=a%20b");
    assertThat(seen.path("body").asText()).isEqualTo("{\"prefixes\":[\"\"]}");
    assertThat(seen.path("contentType").asText()).isEqualTo("application/json");
  }

  @Test
  void aGetIsForwardedByPortNumberByNameWithSchemeAndToTheSingleUnnamedPort() {
    for (String name : List.of("node-0:8000", "http:node-0:http", "http:node-0:8000", "single", "single:80")) {
      Answer answer = send("GET", PROXY + name + "/proxy/some/path/?a=1&a=2", Map.of(), null);

      assertThat(answer.code()).as(name).isEqualTo(200);
      JsonNode seen = answer.json();
      assertThat(seen.path("method").asText()).isEqualTo("GET");
      assertThat(seen.path("path").asText()).as("the trailing slash is kept").isEqualTo("/some/path/");
      assertThat(seen.path("query").asText()).isEqualTo("a=1&a=2");
      assertThat(seen.path("body").asText()).isEmpty();
    }
    assertThat(send("GET", PROXY + "node-0:http/proxy/", Map.of(), null).json().path("path").asText())
        .isEqualTo("/");
    JsonNode watch = send("GET", PROXY + "node-0:http/proxy/events?watch=true", Map.of(), null).json();
    assertThat(watch.path("query").asText()).as("the backend's watch, not the API's").isEqualTo("watch=true");
  }

  @Test
  void theBackendsErrorsArePassedThroughNotWrapped() {
    Answer notFound = send("GET", PROXY + "node-0:http/proxy/status/404", Map.of(), null);
    assertThat(notFound.code()).isEqualTo(404);
    assertThat(notFound.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(notFound.body()).isEqualTo("no such page: /status/404");

    Answer failed = send("POST", PROXY + "node-0:http/proxy/status/500", Map.of("Content-Type", "application/json"), "{}");
    assertThat(failed.code()).isEqualTo(500);
    assertThat(failed.contentType()).isEqualTo("application/json");
    assertThat(failed.body()).isEqualTo("{\"error\":\"boom\"}");
  }

  @Test
  void aMissingServiceIsNotFoundAsForAGet() {
    Answer answer = send("POST", PROXY + "nope:http/proxy/api/lattice/tree", Map.of("Content-Type", "application/json"), "{}");

    assertThat(answer.code()).isEqualTo(404);
    assertStatus(answer, 404, "NotFound", "services \"nope\" not found");
    assertThat(answer.json().path("details").path("name").asText()).isEqualTo("nope");
    assertThat(answer.json().path("details").path("kind").asText()).isEqualTo("services");
    assertThat(send("GET", PROXY + "nope", Map.of(), null).code()).as("a GET of it").isEqualTo(404);
  }

  @Test
  void aPortTheServiceDoesNotHaveIsUnavailableAndNamed() {
    assertStatus(send("GET", PROXY + "node-0:9999/proxy/", Map.of(), null),
        503, "ServiceUnavailable", "no service port 9999 found for service \"node-0\"");
    assertStatus(send("GET", PROXY + "node-0:bogus/proxy/", Map.of(), null),
        503, "ServiceUnavailable", "no endpoints available for service \"node-0:bogus\"");
    // no port: the unnamed one, which node-0 (two named ports) does not have; as on a cluster
    assertStatus(send("GET", PROXY + "node-0/proxy/", Map.of(), null),
        503, "ServiceUnavailable", "no endpoints available for service \"node-0\"");
  }

  @Test
  void aPortWithoutBackendOrNoResolverIsUnavailableInTheRealWords() {
    assertStatus(send("GET", PROXY + "node-0:p2p/proxy/", Map.of(), null),
        503, "ServiceUnavailable", "no endpoints available for service \"node-0\"");

    api.serviceBackends(null);

    assertStatus(send("GET", PROXY + "node-0:http/proxy/api", Map.of(), null),
        503, "ServiceUnavailable", "no endpoints available for service \"node-0\"");
  }

  @Test
  void aBackendThatIsDownIsUnavailableAndSaysWhy() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    api.serviceBackends((namespace, service, port, portName) -> Optional.of(URI.create("http://127.0.0.1:" + closed)));

    assertStatus(send("POST", PROXY + "node-0:http/proxy/api/lattice/tree", Map.of("Content-Type", "application/json"), "{}"),
        503, "ServiceUnavailable",
        "error trying to reach service: dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
  }

  @Test
  void theSchemeOfTheNameIsUsedAndCheckedAsOnARealServer() {
    Answer tlsToPlainHttp = send("GET", PROXY + "https:node-0:http/proxy/", Map.of(), null);
    assertThat(tlsToPlainHttp.code()).isEqualTo(503);
    assertThat(tlsToPlainHttp.json().path("message").asText()).startsWith("error trying to reach service: ");

    assertStatus(send("GET", PROXY + "ftp:node-0:http/proxy/", Map.of(), null),
        400, "BadRequest", "invalid service request \"ftp:node-0:http\"");
  }

  @Test
  void proxyWithoutASlashIsRedirectedToProxySlash() {
    Answer answer = send("GET", PROXY + "node-0:http/proxy?a=1", Map.of(), null);

    assertThat(answer.code()).isEqualTo(301);
    assertThat(answer.location()).isEqualTo(PROXY + "node-0:http/proxy/?a=1");
  }

  @Test
  void aBoundUserNeedsServicesProxy() {
    String reader = api.bindToken("reader", List.of(new ClusterRoleBuilder().withNewMetadata().withName("r").endMetadata()
        .addNewRule().withApiGroups("").withResources("services").withVerbs("get", "list", "create").endRule().build()),
        List.of());
    String proxier = api.bindToken("proxier", List.of(), List.of(new RoleBuilder()
        .withNewMetadata().withName("p").withNamespace(NS).endMetadata()
        .addNewRule().withApiGroups("").withResources("services/proxy").withVerbs("create").endRule().build()));
    String path = PROXY + "node-0:http/proxy/api/lattice/tree";

    Answer refused = send("POST", path, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + reader), "{}");
    assertStatus(refused, 403, "Forbidden", "services \"node-0:http\" is forbidden: User \"reader\" cannot create"
        + " resource \"services/proxy\" in API group \"\" in the namespace \"" + NS + "\"");

    Answer allowed = send("POST", path, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + proxier), "{}");
    assertThat(allowed.code()).isEqualTo(200);
    assertThat(allowed.json().path("authorization").asText()).as("the API's credentials stay with the API").isEmpty();
    assertStatus(send("GET", path, Map.of("Authorization", "Bearer " + proxier), null),
        403, "Forbidden", "services \"node-0:http\" is forbidden: User \"proxier\" cannot get"
            + " resource \"services/proxy\" in API group \"\" in the namespace \"" + NS + "\"");
  }

  @Test
  void proxiedRequestsAreNoWritesAndADryRunIsTheBackendsBusiness() {
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      Answer answer = send(method, PROXY + "node-0:http/proxy/x?dryRun=All", Map.of("Content-Type", "application/json"), "{}");
      assertThat(answer.code()).as(method).isEqualTo(200);
      assertThat(answer.json().path("method").asText()).isEqualTo(method);
      assertThat(answer.json().path("query").asText()).isEqualTo("dryRun=All");
    }
    send("POST", PROXY + "node-0:http/proxy/status/500", Map.of("Content-Type", "application/json"), "{}");
    send("POST", PROXY + "nope:http/proxy/x", Map.of("Content-Type", "application/json"), "{}");

    Writes writes = api.writes();
    assertThat(writes.total()).as(writes.toString()).isZero();
    assertThat(writes.refused()).isZero();
    assertThat(writes.byUser()).isEmpty();
  }

  @Test
  void aSlowBackendDelaysOnlyItsOwnRequest() throws Exception {
    CompletableFuture<Answer> slow = CompletableFuture.supplyAsync(() ->
        send("POST", PROXY + "node-0:http/proxy/slow", Map.of("Content-Type", "application/json"), "{}"));
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

    // Both answer while the slow backend is still held (it answers only when released below).
    assertThat(api.client().services().inNamespace(NS).withName("node-0").get()).isNotNull();
    assertThat(send("GET", PROXY + "node-0:http/proxy/fast", Map.of(), null).code()).isEqualTo(200);
    assertThat(slow).as("the slow request is still waiting for its backend").isNotDone();

    slowRelease.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS).code()).isEqualTo(200);
  }

  @Test
  void kubectlGetsAndPostsThroughTheProxy(@TempDir Path temp) throws IOException {
    assumeTrue(Kubectl.onPath().isPresent() || "1".equals(System.getenv(Kubectl.REQUIRE)), Kubectl.SKIP_MESSAGE);
    Kubectl kubectl = Kubectl.find(api, temp, NS).orElseThrow();
    Path body = Files.writeString(temp.resolve("body.json"), "{\"prefixes\":[\"\"]}");

    JsonNode got = TestApi.JSON.readTree(
        kubectl.run("get", "--raw", PROXY + "node-0:http/proxy/api/lattice/state?v=1").ok());
    assertThat(got.path("method").asText()).isEqualTo("GET");
    assertThat(got.path("path").asText()).isEqualTo("/api/lattice/state");
    assertThat(got.path("query").asText()).isEqualTo("v=1");

    JsonNode posted = TestApi.JSON.readTree(
        kubectl.run("create", "--raw", PROXY + "node-0:http/proxy/api/lattice/tree", "-f", body.toString()).ok());
    assertThat(posted.path("method").asText()).isEqualTo("POST");
    assertThat(posted.path("body").asText()).isEqualTo("{\"prefixes\":[\"\"]}");

    assertThat(kubectl.run("get", "--raw", PROXY + "node-0:p2p/proxy/").failed())
        .contains("ServiceUnavailable");
  }

  // ---- the backend and the client -------------------------------------------------------------

  private URI backendUrl() {
    return URI.create("http://127.0.0.1:" + backend.getAddress().getPort());
  }

  /** Echoes method, path, query, body, Content-Type and Authorization as JSON; /status/N answers N. */
  private void echo(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (path.equals("/slow")) {
      slowStarted.countDown();
      try {
        slowRelease.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (path.equals("/status/404")) {
      reply(exchange, 404, "text/plain; charset=utf-8", "no such page: " + path);
      return;
    }
    if (path.equals("/status/500")) {
      reply(exchange, 500, "application/json", "{\"error\":\"boom\"}");
      return;
    }
    var seen = TestApi.JSON.createObjectNode()
        .put("method", exchange.getRequestMethod())
        .put("path", path)
        .put("query", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery())
        .put("body", new String(body, StandardCharsets.UTF_8))
        .put("contentType", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")))
        .put("authorization", Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse(""));
    reply(exchange, 200, "application/json", seen.toString());
  }

  private static void reply(HttpExchange exchange, int code, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  record Answer(int code, String contentType, String location, String body) {
    JsonNode json() {
      try {
        return TestApi.JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(body, e);
      }
    }
  }

  private static void assertStatus(Answer answer, int code, String reason, String message) {
    assertThat(answer.code()).as(answer.body()).isEqualTo(code);
    JsonNode status = answer.json();
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("code").asInt()).isEqualTo(code);
    assertThat(status.path("reason").asText()).isEqualTo(reason);
    assertThat(status.path("message").asText()).isEqualTo(message);
  }

  private Answer send(String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Location").orElse(""), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
