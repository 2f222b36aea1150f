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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * The status subresource of a CRD that declares one, as a real server keeps it: the plain fabric8
 * mock stores status on create, and takes a status call with a query string for a main write.
 */
class StatusSubresourceIT {

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void createDropsStatus() {
    String withStatus = node("n1", "alpha").replaceFirst("}$", ",\"status\":{\"phase\":\"Running\"}}");

    assertThat(post(api, nodesPath(), withStatus).code()).isEqualTo(201);

    assertThat(get(api, nodePath("n1")).json().has("status")).isFalse();
  }

  @Test
  void statusWritesChangeOnlyStatusAndNeverTheGeneration() throws Exception {
    post(api, nodesPath(), node("n1", "alpha"));
    JsonNode stored = get(api, nodePath("n1")).json();
    ObjectNode sent = stored.deepCopy();
    sent.putObject("status").put("phase", "Pending");
    ((ObjectNode) sent.get("spec")).put("role", "genesis-backup");
    ((ObjectNode) sent.get("metadata")).putObject("labels").put("sneaky", "yes");

    var answer = put(api, nodePath("n1") + "/status?fieldManager=lattice-operator", sent.toString());

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    JsonNode after = get(api, nodePath("n1")).json();
    assertThat(after.at("/status/phase").asText()).isEqualTo("Pending");
    assertThat(after.at("/spec/role").asText()).isEqualTo("genesis-primary");
    assertThat(after.at("/metadata/labels").isMissingNode()).isTrue();
    assertThat(after.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(after.at("/metadata/resourceVersion").asText())
        .isNotEqualTo(stored.at("/metadata/resourceVersion").asText());
  }

  @Test
  void statusMergePatchWithAQueryStringIsAStatusWrite() {
    post(api, nodesPath(), node("n1", "alpha"));

    var answer = mergePatch(api, nodePath("n1") + "/status?fieldManager=x", "{\"status\":{\"phase\":\"Running\"}}");

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    JsonNode after = get(api, nodePath("n1")).json();
    assertThat(after.at("/status/phase").asText()).isEqualTo("Running");
    assertThat(after.at("/metadata/generation").asLong()).isEqualTo(1);
  }

  @Test
  void mainWritesKeepTheStoredStatusAndBumpTheGenerationOnSpecChanges() {
    post(api, nodesPath(), node("n1", "alpha"));
    mergePatch(api, nodePath("n1") + "/status", "{\"status\":{\"phase\":\"Running\"}}");

    var answer = mergePatch(api, nodePath("n1"),
        "{\"spec\":{\"role\":\"genesis-backup\"},\"status\":{\"phase\":\"Hacked\"}}");

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    JsonNode after = get(api, nodePath("n1")).json();
    assertThat(after.at("/status/phase").asText()).isEqualTo("Running");
    assertThat(after.at("/spec/role").asText()).isEqualTo("genesis-backup");
    assertThat(after.at("/metadata/generation").asLong()).isEqualTo(2);
  }

  @Test
  void metadataOnlyChangesDoNotBumpTheGeneration() {
    post(api, nodesPath(), node("n1", "alpha"));

    mergePatch(api, nodePath("n1"), "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");

    assertThat(get(api, nodePath("n1")).json().at("/metadata/generation").asLong()).isEqualTo(1);
  }

  @Test
  void staleResourceVersionOnAStatusWriteIsAConflict() {
    post(api, nodesPath(), node("n1", "alpha"));
    JsonNode stored = get(api, nodePath("n1")).json();
    mergePatch(api, nodePath("n1") + "/status", "{\"status\":{\"phase\":\"Running\"}}");
    ObjectNode stale = stored.deepCopy();
    stale.putObject("status").put("phase", "Pending");

    var answer = put(api, nodePath("n1") + "/status", stale.toString());

    assertThat(answer.code()).isEqualTo(409);
    assertThat(answer.json().path("reason").asText()).isEqualTo("Conflict");
    assertThat(get(api, nodePath("n1")).json().at("/status/phase").asText()).isEqualTo("Running");
  }

  @Test
  void jsonPatchAddUnderAMissingStatusIsRefusedAsARealServerDoes() {
    post(api, nodesPath(), node("n1", "alpha"));
    String before = get(api, nodePath("n1")).body();

    var answer = jsonPatch(api, nodePath("n1") + "/status",
        "[{\"op\":\"add\",\"path\":\"/status/observedGeneration\",\"value\":1},"
            + "{\"op\":\"add\",\"path\":\"/status/phase\",\"value\":\"Pending\"}]");

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.body()).isEqualTo(
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"the server rejected our request due to an error in our request\","
            + "\"reason\":\"Invalid\",\"code\":422}");
    assertThat(get(api, nodePath("n1")).body()).isEqualTo(before);
  }

  @Test
  void jsonPatchAddingTheWholeStatusObjectWorks() {
    post(api, nodesPath(), node("n1", "alpha"));

    var answer = jsonPatch(api, nodePath("n1") + "/status",
        "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"observedGeneration\":1,\"phase\":\"Pending\"}}]");

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    JsonNode after = get(api, nodePath("n1")).json();
    assertThat(after.at("/status/phase").asText()).isEqualTo("Pending");
    assertThat(after.at("/status/observedGeneration").asLong()).isEqualTo(1);
  }
}
