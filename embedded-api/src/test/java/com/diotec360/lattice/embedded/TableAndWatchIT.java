package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.JSON;
import static com.diotec360.lattice.embedded.TestApi.NS;
import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.node;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.nodesPath;
import static com.diotec360.lattice.embedded.TestApi.post;
import static com.diotec360.lattice.embedded.TestApi.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire shapes kubectl relies on, asked for with raw HTTP: Tables as kube-apiserver answers
 * them, HTTP watches (from a list's resourceVersion, Tables with the columns only in the first
 * event), field selectors; and the fabric8 client's own WebSocket watches untouched.
 */
class TableAndWatchIT {

  private static final String KUBECTL_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,"
      + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private EmbeddedApiServer api;
  private final List<Stream<String>> streams = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    api = TestApi.start();
  }

  @AfterEach
  void stop() {
    streams.forEach(Stream::close);
    api.close();
  }

  @Test
  void aTableAsKubeApiserverAnswersIt() {
    post(api, nodesPath(), node("n1", "alpha"));
    writeStatus("n1", "Running", 2);

    HttpResponse<String> answer = send(nodesPath(), KUBECTL_ACCEPT);
    JsonNode table = json(answer.body());

    assertThat(answer.headers().firstValue("Content-Type")).contains("application/json;as=Table;v=v1;g=meta.k8s.io");
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.at("/metadata/resourceVersion").asText()).isNotEmpty();
    JsonNode name = table.at("/columnDefinitions/0");
    assertThat(name.path("name").asText()).isEqualTo("Name");
    assertThat(name.path("format").asText()).isEqualTo("name");
    assertThat(name.path("priority").asInt()).isZero();
    assertThat(name.path("description").asText()).startsWith("Name must be unique within a namespace.");
    JsonNode age = table.at("/columnDefinitions/9");
    assertThat(age.path("name").asText()).isEqualTo("Age");
    assertThat(age.path("type").asText()).isEqualTo("date");
    JsonNode row = table.at("/rows/0");
    assertThat(row.at("/cells/0").asText()).isEqualTo("n1");
    assertThat(row.at("/cells/5").isIntegralNumber()).as("an integer column's cell is a number").isTrue();
    assertThat(row.at("/cells/9").asText()).as("the server renders date columns as an age").matches("\\d+s");
    assertThat(row.at("/object/kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(row.at("/object/apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(row.at("/object/metadata/name").asText()).isEqualTo("n1");
    assertThat(row.at("/object").has("spec")).isFalse();

    JsonNode full = json(send(nodesPath() + "?includeObject=Object", KUBECTL_ACCEPT).body());
    assertThat(full.at("/rows/0/object/spec/lattice").asText()).isEqualTo("alpha");
    JsonNode single = json(send(nodePath("n1"), "application/json;as=Table;v=v1beta1;g=meta.k8s.io").body());
    assertThat(single.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
    assertThat(single.path("rows")).hasSize(1);
    assertThat(send(nodesPath(), "application/json;as=Table;v=v9;g=meta.k8s.io").statusCode()).isEqualTo(406);
    assertThat(json(send(nodesPath(), "application/json").body()).path("kind").asText())
        .as("a plain GET is the mock's answer, as before").isEqualTo("List");
  }

  @Test
  void aWatchFromAListsResourceVersionMissesNothingAndSendsColumnsOnce() {
    post(api, nodesPath(), node("n1", "alpha"));
    String listVersion = json(send(nodesPath(), KUBECTL_ACCEPT).body()).at("/metadata/resourceVersion").asText();
    post(api, nodesPath(), node("n2", "alpha")); // between the list and the watch

    List<JsonNode> events = watch(nodesPath() + "?watch=true&resourceVersion=" + listVersion, KUBECTL_ACCEPT);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 1);
    writeStatus("n1", "Pending", 1);
    await().atMost(Duration.ofSeconds(15)).until(() -> events.size() >= 2);

    assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
    assertThat(events.get(0).at("/object/rows/0/cells/0").asText()).isEqualTo("n2");
    assertThat(events.get(0).at("/object/columnDefinitions")).hasSize(10);
    assertThat(events.get(1).path("type").asText()).isEqualTo("MODIFIED");
    assertThat(events.get(1).at("/object/rows/0/cells/3").asText()).isEqualTo("Pending");
    assertThat(events.get(1).at("/object/columnDefinitions").isNull()).isTrue();
  }

  @Test
  void aWatchFromZeroStartsWithTheCurrentObjectsAndHonoursTheFieldSelector() {
    post(api, nodesPath(), node("n1", "alpha"));
    post(api, nodesPath(), node("n2", "alpha"));

    List<JsonNode> events = watch(nodesPath() + "?watch=true&fieldSelector=metadata.name%3Dn2", "application/json");
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 1);
    api.client().resource(api.client().genericKubernetesResources(TestApi.LATTICE_NODES).inNamespace(NS)
        .withName("n1").get()).delete();
    api.client().genericKubernetesResources(TestApi.LATTICE_NODES).inNamespace(NS).withName("n2").delete();
    await().atMost(Duration.ofSeconds(15)).until(() -> events.size() >= 2);

    assertThat(events).extracting(e -> e.path("type").asText() + " " + e.at("/object/metadata/name").asText())
        .containsExactly("ADDED n2", "DELETED n2");
    assertThat(events.get(1).at("/object/kind").asText()).isEqualTo("LatticeNode");
  }

  @Test
  void unsupportedFieldSelectorsAreRefusedAsARealServerDoes() {
    HttpResponse<String> answer = send("/api/v1/namespaces/" + NS + "/events?fieldSelector=spec.x%3Dy", "application/json");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(json(answer.body()).path("message").asText()).isEqualTo("field label not supported: spec.x");
  }

  @Test
  void theFabric8ClientsWatchesWorkAsBeforeNextToAnHttpWatch() {
    List<JsonNode> http = watch(nodesPath() + "?watch=true", KUBECTL_ACCEPT);
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch ignored = api.client().genericKubernetesResources(TestApi.LATTICE_NODES).inNamespace(NS)
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource resource) {
            seen.add(action + " " + resource.getMetadata().getName());
          }

          @Override
          public void onClose(WatcherException cause) {}
        })) {
      post(api, nodesPath(), node("n1", "alpha"));
      writeStatus("n1", "Running", 1);

      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 2 && http.size() >= 2);
      assertThat(seen).containsExactly("ADDED n1", "MODIFIED n1");
      assertThat(http).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "MODIFIED");
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void writeStatus(String name, String phase, int peers) {
    ObjectNode stored = (ObjectNode) get(api, nodePath(name)).json();
    stored.putObject("status").put("phase", phase).put("peerCount", peers);
    var answer = put(api, nodePath(name) + "/status", stored.toString());
    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
  }

  private HttpResponse<String> send(String path, String accept) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + path)).header("Accept", accept).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Opens an HTTP watch; its events are collected as they arrive. */
  private List<JsonNode> watch(String path, String accept) {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    HttpResponse<Stream<String>> response;
    try {
      response = HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + path)).header("Accept", accept).build(),
          HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Length")).as("a stream, not a body").isEmpty();
    Stream<String> lines = response.body();
    streams.add(lines);
    Thread reader = new Thread(() -> {
      try {
        lines.forEach(line -> events.add(json(line)));
      } catch (RuntimeException e) {
        // closed at the end of the test
      }
    });
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
