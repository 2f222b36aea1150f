package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.jsonPatch;
import static com.diotec360.lattice.embedded.TestApi.mergePatch;
import static com.diotec360.lattice.embedded.TestApi.node;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.nodesPath;
import static com.diotec360.lattice.embedded.TestApi.post;
import static com.diotec360.lattice.embedded.TestApi.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * LatticeNodes against the committed CRD (crds/ at the repository root): its OpenAPI schema, its
 * CEL rules (transition rules too), pruning and defaults, as a real API server applies them.
 */
class CustomResourceAdmissionIT {

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void aCelViolationIsRefusedInTheRealServersShape() {
    String body = node("n1", "alpha").replace("\"role\":\"genesis-primary\"",
        "\"role\":\"genesis-primary\",\"sync\":{\"heartbeatIntervalSeconds\":30,\"peerlessTimeoutSeconds\":20}");

    var answer = post(api, nodesPath(), body);

    assertThat(answer.code()).isEqualTo(422);
    String rule = "peerlessTimeoutSeconds must be greater than heartbeatIntervalSeconds: the node checks its P2P"
        + " peers every heartbeat and falls back to HTTP after the peerless timeout";
    assertThat(answer.body()).isEqualTo(
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"LatticeNode.lattice.diotec360.com \\\"n1\\\" is invalid: spec.sync: Invalid value: "
            + rule + "\",\"reason\":\"Invalid\",\"details\":{\"name\":\"n1\",\"group\":\"lattice.diotec360.com\","
            + "\"kind\":\"LatticeNode\",\"causes\":[{\"reason\":\"FieldValueInvalid\","
            + "\"message\":\"Invalid value: " + rule + "\",\"field\":\"spec.sync\"}]},\"code\":422}");
    assertThat(get(api, nodePath("n1")).code()).isEqualTo(404);
  }

  @Test
  void theFabric8ClientSeesTheRefusalAsAKubernetesClientException() {
    var node = Serialization.unmarshal(node("n1", "alpha").replace("genesis-primary\"}",
        "genesis-primary\",\"sync\":{\"p2p\":{\"port\":8000}}}"),
        io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);

    assertThatThrownBy(() -> TestApi.nodes(api).resource(node).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> {
          KubernetesClientException k = (KubernetesClientException) e;
          assertThat(k.getCode()).isEqualTo(422);
          assertThat(k.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("spec.sync.p2p.port");
          assertThat(k.getStatus().getMessage()).contains("p2p.port must differ from the HTTP port 8000");
        });
  }

  @Test
  void schemaViolationsAreRefused() {
    var missingRole = post(api, nodesPath(), node("n1", "alpha").replace(",\"role\":\"genesis-primary\"", ""));
    assertThat(missingRole.code()).isEqualTo(422);
    assertThat(missingRole.json().at("/details/causes/0/field").asText()).isEqualTo("spec.role");
    assertThat(missingRole.json().at("/details/causes/0/reason").asText()).isEqualTo("FieldValueRequired");

    var badEnum = post(api, nodesPath(), node("n2", "alpha").replace("genesis-primary\"}",
        "genesis-primary\",\"sync\":{\"mode\":\"carrier-pigeon\"}}"));
    assertThat(badEnum.code()).isEqualTo(422);
    assertThat(badEnum.json().at("/details/causes/0/field").asText()).isEqualTo("spec.sync.mode");
  }

  @Test
  void theLatticeIsImmutableOnUpdateByItsTransitionRule() {
    assertThat(post(api, nodesPath(), node("n1", "alpha")).code()).isEqualTo(201);

    var answer = mergePatch(api, nodePath("n1"), "{\"spec\":{\"lattice\":\"beta\"}}");

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().at("/details/causes/0/field").asText()).isEqualTo("spec.lattice");
    assertThat(answer.json().at("/details/causes/0/message").asText())
        .startsWith("Invalid value: \"beta\": lattice is immutable");
    assertThat(get(api, nodePath("n1")).json().at("/spec/lattice").asText()).isEqualTo("alpha");
    assertThat(mergePatch(api, nodePath("n1"), "{\"spec\":{\"role\":\"genesis-backup\"}}").code()).isEqualTo(200);
  }

  @Test
  void rulesRunAfterAPatchIsApplied() {
    post(api, nodesPath(), node("n1", "alpha"));

    var answer = jsonPatch(api, nodePath("n1"),
        "[{\"op\":\"add\",\"path\":\"/spec/env\",\"value\":[{\"name\":\"DIOTEC360_X\",\"value\":\"1\"}]}]");

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().at("/details/causes/0/field").asText()).isEqualTo("spec.env[0].name");
  }

  @Test
  void unknownFieldsArePrunedAndSchemaDefaultsFilledIn() {
    String body = node("n1", "alpha").replace("genesis-primary\"}",
        "genesis-primary\",\"bogus\":1,\"dns\":{\"hostnames\":[\"n1.example.com\"]}},\"extra\":{\"x\":1}");

    assertThat(post(api, nodesPath(), body).code()).isEqualTo(201);

    JsonNode stored = get(api, nodePath("n1")).json();
    assertThat(stored.has("extra")).isFalse();
    assertThat(stored.at("/spec/bogus").isMissingNode()).isTrue();
    assertThat(stored.at("/spec/dns/ttlSeconds").asInt()).as("schema default").isEqualTo(60);
    assertThat(stored.at("/spec/imagePullPolicy").asText()).as("schema default").isEqualTo("IfNotPresent");
  }

  @Test
  void anUpdateWithoutResourceVersionIsRefusedForCustomResources() {
    post(api, nodesPath(), node("n1", "alpha"));
    ObjectNode sent = (ObjectNode) get(api, nodePath("n1")).json();
    ((ObjectNode) sent.get("metadata")).remove("resourceVersion");

    var answer = put(api, nodePath("n1"), sent.toString());

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().at("/details/causes/0/field").asText()).isEqualTo("metadata.resourceVersion");
  }
}
