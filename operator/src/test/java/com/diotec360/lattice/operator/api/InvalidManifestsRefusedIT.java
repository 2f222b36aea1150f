package com.diotec360.lattice.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}), whose admission (the CRD's OpenAPI
 * schema, CEL rules, strict field validation) is the thing under test.
 *
 * <p>Every invalid manifest the CRD tests know, sent as {@code kubectl apply} sends it
 * ({@code fieldValidation=Strict}): refused before anything is stored, with the API's own message
 * naming what is wrong, so the user reads the reason where they typed the command and the
 * operator never sees a half-valid node.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class InvalidManifestsRefusedIT {

  private static RealApi api;

  @BeforeAll
  static void start(RealApi shared) {
    api = shared;
  }

  static List<SampleManifest> invalid() {
    return SampleManifest.invalid();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void theApiRefusesItWithAMessageAndStoresNothing(SampleManifest manifest) throws Exception {
    ObjectNode body = manifest.document().deepCopy();
    ((ObjectNode) body.with("metadata")).put("namespace", api.namespace());
    String name = body.path("metadata").path("name").asText();

    // The admin client's HTTP client: it carries the cluster-admin's certificate.
    HttpClient http = api.client().getHttpClient();
    HttpResponse<String> response = http.sendAsync(
        http.newHttpRequestBuilder()
            .uri(api.server().url() + "/apis/lattice.diotec360.com/v1alpha1/namespaces/"
                + api.namespace() + "/latticenodes?fieldValidation=Strict")
            .post("application/json", body.toString())
            .build(),
        String.class).get();

    assertThat(response.code()).as(manifest + ": " + response.body()).isIn(400, 422);
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
              .inNamespace(api.namespace()).withName(name).get())
          .as(manifest + ": nothing stored")
          .isNull();
    }
  }
}
