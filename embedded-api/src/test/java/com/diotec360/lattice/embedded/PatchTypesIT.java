package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.jsonPatch;
import static com.diotec360.lattice.embedded.TestApi.mergePatch;
import static com.diotec360.lattice.embedded.TestApi.post;
import static com.diotec360.lattice.embedded.TestApi.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Patches of built-in kinds through real HTTP: what the fabric8 mock gets wrong. */
class PatchTypesIT {

  private static final String CONFIG_MAPS = "/api/v1/namespaces/test/configmaps";
  private static final String CM = CONFIG_MAPS + "/cm";

  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = TestApi.start();
    assertThat(post(api, CONFIG_MAPS, """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"test",
         "finalizers":["a/one","a/two"],"labels":{"keep":"me","drop":"me"}},
         "data":{"a":"1","b":"2"}}""").code()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void mergePatchNullDeletesAKey() {
    var answer = mergePatch(api, CM, "{\"data\":{\"a\":null},\"metadata\":{\"labels\":{\"drop\":null}}}");

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    JsonNode cm = get(api, CM).json();
    assertThat(cm.at("/data").toString()).isEqualTo("{\"b\":\"2\"}");
    assertThat(cm.at("/metadata/labels").toString()).isEqualTo("{\"keep\":\"me\"}");
  }

  @Test
  void mergePatchReplacesArraysInsteadOfAppending() {
    var answer = mergePatch(api, CM, "{\"metadata\":{\"finalizers\":[\"a/two\"]}}");

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    assertThat(get(api, CM).json().at("/metadata/finalizers").toString()).isEqualTo("[\"a/two\"]");
  }

  @Test
  void jsonPatchRemoveOfAMissingFieldIsRefusedAndNothingIsStored() {
    String before = get(api, CM).body();

    var answer = jsonPatch(api, CM,
        "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"},{\"op\":\"remove\",\"path\":\"/data/zzz\"}]");

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().path("reason").asText()).isEqualTo("Invalid");
    assertThat(get(api, CM).body()).isEqualTo(before);
  }

  @Test
  void jsonPatchTestOperationGuardsTheWrite() {
    assertThat(jsonPatch(api, CM, "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"9\"},"
        + "{\"op\":\"remove\",\"path\":\"/data/a\"}]").code()).isEqualTo(422);
    assertThat(jsonPatch(api, CM, "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"1\"},"
        + "{\"op\":\"remove\",\"path\":\"/data/a\"}]").code()).isEqualTo(200);
    assertThat(get(api, CM).json().at("/data/a").isMissingNode()).isTrue();
  }

  @Test
  void aPatchCarryingAStaleResourceVersionIsAConflict() {
    String stale = get(api, CM).json().at("/metadata/resourceVersion").asText();
    mergePatch(api, CM, "{\"data\":{\"c\":\"3\"}}");

    var answer = mergePatch(api, CM, "{\"metadata\":{\"resourceVersion\":\"" + stale + "\"},\"data\":{\"d\":\"4\"}}");

    assertThat(answer.code()).isEqualTo(409);
    assertThat(answer.json().path("reason").asText()).isEqualTo("Conflict");
    assertThat(get(api, CM).json().at("/data/d").isMissingNode()).isTrue();
  }

  @Test
  void anUnknownPatchTypeIsRefusedWithAStatusThatSaysWhatWorks() {
    var answer = send(api, "PATCH", CM, "application/xml-patch+xml", "{\"data\":{\"x\":\"y\"}}");

    assertThat(answer.code()).isEqualTo(415);
    assertThat(answer.json().path("kind").asText()).isEqualTo("Status");
    assertThat(answer.json().path("reason").asText()).isEqualTo("UnsupportedMediaType");
    assertThat(answer.json().path("message").asText()).isEqualTo("the body of the request was in an unknown format"
        + " - accepted media types include: application/json-patch+json, application/merge-patch+json,"
        + " application/strategic-merge-patch+json, application/apply-patch+yaml");
  }

  @Test
  void removingTheLastFinalizerOfADeletedObjectDeletesIt() {
    assertThat(send(api, "DELETE", CM, null, null).code()).isEqualTo(200);
    assertThat(get(api, CM).json().at("/metadata/deletionTimestamp").isMissingNode()).isFalse();

    assertThat(mergePatch(api, CM, "{\"metadata\":{\"finalizers\":null}}").code()).isEqualTo(200);

    assertThat(get(api, CM).code()).isEqualTo(404);
  }
}
