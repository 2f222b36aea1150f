package com.diotec360.lattice.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.support.OperatorHarness;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid manifest the CRD tests know, sent to the strict embedded API as {@code kubectl
 * apply} sends it ({@code fieldValidation=Strict}): refused before anything is stored, with the
 * API's own message naming what is wrong, so the user reads the reason where they typed the
 * command and the operator never sees a half-valid node.
 */
class InvalidManifestsRefusedIT {

  private static final String NS = "bad-input";
  private static EmbeddedApiServer api;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    api = OperatorHarness.startApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static List<SampleManifest> invalid() {
    return SampleManifest.invalid();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void theApiRefusesItWithAMessageAndStoresNothing(SampleManifest manifest) throws Exception {
    ObjectNode body = manifest.document().deepCopy();
    ((ObjectNode) body.with("metadata")).put("namespace", NS);
    String name = body.path("metadata").path("name").asText();

    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(api.url() + "/apis/lattice.diotec360.com/v1alpha1/namespaces/"
                + NS + "/latticenodes?fieldValidation=Strict"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(manifest + ": " + response.body()).isIn(400, 422);
    String expectedField =
        manifest.expectedRulePath().or(() -> manifest.expectedSchemaError().map(e -> e.substring(0, e.indexOf(": "))))
            .orElseThrow()
            .replaceFirst("^\\$\\.?", "")
            .replaceAll("\\[[^]]*]", "");
    String lastSegment = expectedField.isEmpty() ? "" : expectedField.substring(expectedField.lastIndexOf('.') + 1);
    assertThat(response.body())
        .as(manifest + ": the message names what is wrong")
        .contains(lastSegment);
    manifest.expectedRuleMessage().ifPresent(message -> assertThat(response.body()).contains(message));
    if (!name.isEmpty()) {
      assertThat(api.client().genericKubernetesResources("lattice.diotec360.com/v1alpha1", "LatticeNode")
              .inNamespace(NS).withName(name).get())
          .as(manifest + ": nothing stored")
          .isNull();
    }
  }
}
