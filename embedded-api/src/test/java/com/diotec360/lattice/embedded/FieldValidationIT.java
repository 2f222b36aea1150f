package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.JSON;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.nodesPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/** fieldValidation=Strict|Warn|Ignore on creates, updates and patches, in the API server's words. */
class FieldValidationIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TYPO = """
      {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
       "metadata":{"name":"%s","namespace":"test"},
       "spec":{"lattice":"l","role":"genesis-primary","sync":{"peerlesTimeoutSeconds":60}}}""";

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void strictRefusesAnUnknownFieldOfACustomResourceWithTheServersMessage() throws Exception {
    HttpResponse<String> answer = send("POST", nodesPath() + "?fieldValidation=Strict", "application/json",
        TYPO.formatted("n1"));
    assertThat(answer.statusCode()).isEqualTo(400);
    JsonNode status = JSON.readTree(answer.body());
    assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
    assertThat(status.path("message").asText()).isEqualTo("LatticeNode in version \"v1alpha1\" cannot be handled as a"
        + " LatticeNode: strict decoding error: unknown field \"spec.sync.peerlesTimeoutSeconds\"");
    assertThat(TestApi.get(api, nodePath("n1")).code()).isEqualTo(404);
  }

  @Test
  void strictRefusesDuplicateFields() throws Exception {
    HttpResponse<String> answer = send("POST", nodesPath() + "?fieldValidation=Strict", "application/json", """
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode","metadata":{"name":"d","namespace":"test"},
         "spec":{"lattice":"l","role":"genesis-primary","role":"genesis-backup"}}""");
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(answer.body()).path("message").asText())
        .endsWith("strict decoding error: duplicate field \"spec.role\"");
  }

  @Test
  void warnStoresThePrunedObjectAndSaysWhatItDropped() throws Exception {
    HttpResponse<String> answer = send("POST", nodesPath() + "?fieldValidation=Warn", "application/json",
        TYPO.formatted("n2"));
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().allValues("Warning"))
        .containsExactly("299 - \"unknown field \\\"spec.sync.peerlesTimeoutSeconds\\\"\"");
    assertThat(TestApi.get(api, nodePath("n2")).json().path("spec").path("sync").has("peerlesTimeoutSeconds")).isFalse();
  }

  @Test
  void withoutTheParameterTheServerWarnsAsSince123() throws Exception {
    HttpResponse<String> answer = send("POST", nodesPath(), "application/json", TYPO.formatted("n3"));
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().allValues("Warning")).hasSize(1);
  }

  @Test
  void ignorePrunesSilently() throws Exception {
    HttpResponse<String> answer = send("POST", nodesPath() + "?fieldValidation=Ignore", "application/json",
        TYPO.formatted("n4"));
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().allValues("Warning")).isEmpty();
    assertThat(TestApi.get(api, nodePath("n4")).json().path("spec").path("sync").has("peerlesTimeoutSeconds")).isFalse();
  }

  @Test
  void strictPatchIsInvalidWithThePatchedObject() throws Exception {
    assertThat(TestApi.post(api, nodesPath(), TestApi.node("p", "l")).code()).isEqualTo(201);
    HttpResponse<String> answer = send("PATCH", nodePath("p") + "?fieldValidation=Strict",
        "application/merge-patch+json", "{\"spec\":{\"foo\":1}}");
    assertThat(answer.statusCode()).isEqualTo(422);
    String message = JSON.readTree(answer.body()).path("message").asText();
    assertThat(message).startsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":")
        .endsWith("\": strict decoding error: unknown field \"spec.foo\"");
    assertThat(TestApi.get(api, nodePath("p")).json().path("spec").has("foo")).isFalse();

    HttpResponse<String> warned = send("PATCH", nodePath("p") + "?fieldValidation=Warn",
        "application/merge-patch+json", "{\"spec\":{\"foo\":1,\"logLevel\":\"DEBUG\"}}");
    assertThat(warned.statusCode()).isEqualTo(200);
    assertThat(warned.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"spec.foo\\\"\"");
    assertThat(TestApi.get(api, nodePath("p")).json().path("spec").path("logLevel").asText()).isEqualTo("DEBUG");
  }

  @Test
  void strictUpdateIsRefusedLikeACreate() throws Exception {
    assertThat(TestApi.post(api, nodesPath(), TestApi.node("u", "l")).code()).isEqualTo(201);
    JsonNode stored = TestApi.get(api, nodePath("u")).json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) stored.path("spec")).put("bogus", true);
    HttpResponse<String> answer = send("PUT", nodePath("u") + "?fieldValidation=Strict", "application/json",
        stored.toString());
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(answer.body()).path("message").asText()).endsWith("unknown field \"spec.bogus\"");
  }

  @Test
  void builtInKindsAreCheckedAgainstTheirSchema() throws Exception {
    String deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"test"},
         "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"web","image":"nginx","imagePulPolicy":"Always"}]}}}}""";
    HttpResponse<String> refused = send("POST", "/apis/apps/v1/namespaces/test/deployments?fieldValidation=Strict",
        "application/json", deployment);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("message").asText()).isEqualTo("Deployment in version \"v1\" cannot"
        + " be handled as a Deployment: strict decoding error: unknown field"
        + " \"spec.template.spec.containers[0].imagePulPolicy\"");
    HttpResponse<String> warned = send("POST", "/apis/apps/v1/namespaces/test/deployments", "application/json",
        deployment);
    assertThat(warned.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(warned.body()).path("spec").path("template").path("spec").path("containers").get(0)
        .has("imagePulPolicy")).isFalse();
  }

  @Test
  void anUnknownDirectiveIsInvalid() throws Exception {
    HttpResponse<String> answer = send("POST", nodesPath() + "?fieldValidation=Loose", "application/json",
        TestApi.node("x", "l"));
    assertThat(answer.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(answer.body()).path("message").asText()).isEqualTo("CreateOptions.meta.k8s.io \"\" is"
        + " invalid: fieldValidation: Unsupported value: \"Loose\": supported values: \"\", \"Ignore\", \"Strict\","
        + " \"Warn\"");
  }

  @Test
  void theOperatorsOwnWritesOfKnownFieldsDrawNoWarning() throws Exception {
    HttpResponse<String> answer = send("POST", nodesPath(), "application/json", TestApi.node("ok", "l"));
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().allValues("Warning")).isEmpty();
    assertThat(api.writes().refused()).isZero();
    assertThat(List.of(TestApi.get(api, nodePath("ok")).code())).containsExactly(200);
  }

  private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(api.url() + path))
        .header("Content-Type", contentType)
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
