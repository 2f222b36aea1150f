package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.node;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.post;
import static com.diotec360.lattice.embedded.TestApi.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/** Strategic merge patch and server-side apply through real HTTP, as kube-apiserver answers them. */
class ApplyPatchesIT {

  private static final String SMP = "application/strategic-merge-patch+json";
  private static final String APPLY = "application/apply-patch+yaml";
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/test/deployments";

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void strategicMergePatchOfADeploymentMergesContainersByNameAndKeepsTheDefaults() {
    assertThat(post(api, DEPLOYMENTS, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"test"},
         "spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},
          "spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"}]}]}}}}""").code())
        .isEqualTo(201);

    var answer = send(api, "PATCH", DEPLOYMENTS + "/d", SMP, """
        {"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b:1"},
          {"name":"a","env":[{"name":"Y","value":"2"}]}]}}}}""");

    assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    JsonNode containers = get(api, DEPLOYMENTS + "/d").json().at("/spec/template/spec/containers");
    assertThat(containers).hasSize(2);
    assertThat(containers.get(0).path("name").asText()).isEqualTo("b");
    assertThat(containers.get(0).path("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
    assertThat(containers.get(1).path("image").asText()).isEqualTo("a:1");
    assertThat(containers.get(1).path("env").toString())
        .isEqualTo("[{\"name\":\"Y\",\"value\":\"2\"},{\"name\":\"X\",\"value\":\"1\"}]");
  }

  @Test
  void aBadStrategicMergePatchIsABadRequestAndNothingIsStored() {
    post(api, "/api/v1/namespaces/test/configmaps", """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"test"},"data":{"a":"1"}}""");
    String before = get(api, "/api/v1/namespaces/test/configmaps/cm").body();

    var answer = send(api, "PATCH", "/api/v1/namespaces/test/configmaps/cm", SMP, "{\"data\":{\"$patch\":\"nope\"}}");

    assertThat(answer.code()).isEqualTo(400);
    assertThat(answer.json().path("reason").asText()).isEqualTo("BadRequest");
    assertThat(get(api, "/api/v1/namespaces/test/configmaps/cm").body()).isEqualTo(before);
  }

  @Test
  void aCustomResourceTakesNoStrategicMergePatch() {
    assertThat(post(api, TestApi.nodesPath(), node("n", "l")).code()).isEqualTo(201);

    var answer = send(api, "PATCH", nodePath("n"), SMP, "{\"spec\":{\"logLevel\":\"DEBUG\"}}");

    assertThat(answer.code()).isEqualTo(415);
    assertThat(answer.json().path("reason").asText()).isEqualTo("UnsupportedMediaType");
    assertThat(answer.json().path("message").asText()).isEqualTo("the body of the request was in an unknown format"
        + " - accepted media types include: application/json-patch+json, application/merge-patch+json,"
        + " application/apply-patch+yaml");
  }

  @Test
  void serverSideApplyCreatesThenRemovesWhatTheManagerNoLongerApplies() {
    var created = send(api, "PATCH", nodePath("n") + "?fieldManager=me", APPLY, """
        apiVersion: lattice.diotec360.com/v1alpha1
        kind: LatticeNode
        metadata:
          name: n
          labels: {team: a}
        spec:
          lattice: l
          role: genesis-primary
          logLevel: DEBUG
        """);
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode entry = created.json().at("/metadata/managedFields/0");
    assertThat(entry.path("manager").asText()).isEqualTo("me");
    assertThat(entry.path("operation").asText()).isEqualTo("Apply");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(entry.path("apiVersion").asText()).isEqualTo("lattice.diotec360.com/v1alpha1");
    assertThat(entry.path("fieldsV1").toString()).isEqualTo("{\"f:metadata\":{\"f:labels\":{\"f:team\":{}}},"
        + "\"f:spec\":{\"f:lattice\":{},\"f:role\":{},\"f:logLevel\":{}}}");

    var applied = send(api, "PATCH", nodePath("n") + "?fieldManager=me", APPLY, """
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode","metadata":{"name":"n"},
         "spec":{"lattice":"l","role":"genesis-primary","environment":"production"}}""");

    assertThat(applied.code()).as(applied.body()).isEqualTo(200);
    JsonNode node = get(api, nodePath("n")).json();
    assertThat(node.at("/spec/environment").asText()).isEqualTo("production");
    assertThat(node.at("/metadata/labels").isMissingNode()).isTrue();
    // logLevel is gone from what "me" applies: removed, then the schema default comes back
    assertThat(node.at("/spec/logLevel").asText()).isEqualTo("INFO");
    assertThat(node.at("/metadata/managedFields").size()).isEqualTo(1);
  }

  @Test
  void anotherManagersFieldIsAConflictUnlessForced() {
    send(api, "PATCH", nodePath("n") + "?fieldManager=first", APPLY,
        "{\"apiVersion\":\"lattice.diotec360.com/v1alpha1\",\"kind\":\"LatticeNode\",\"metadata\":{\"name\":\"n\"},"
            + "\"spec\":{\"lattice\":\"l\",\"role\":\"genesis-primary\",\"logLevel\":\"DEBUG\"}}");
    String second = "{\"apiVersion\":\"lattice.diotec360.com/v1alpha1\",\"kind\":\"LatticeNode\","
        + "\"metadata\":{\"name\":\"n\"},\"spec\":{\"logLevel\":\"ERROR\"}}";

    var refused = send(api, "PATCH", nodePath("n") + "?fieldManager=second", APPLY, second);

    assertThat(refused.code()).isEqualTo(409);
    assertThat(refused.json().path("reason").asText()).isEqualTo("Conflict");
    assertThat(refused.json().path("message").asText())
        .isEqualTo("Apply failed with 1 conflict: conflict with \"first\": .spec.logLevel");
    assertThat(refused.json().at("/details/causes/0/field").asText()).isEqualTo(".spec.logLevel");

    var forced = send(api, "PATCH", nodePath("n") + "?fieldManager=second&force=true", APPLY, second);

    assertThat(forced.code()).as(forced.body()).isEqualTo(200);
    JsonNode node = get(api, nodePath("n")).json();
    assertThat(node.at("/spec/logLevel").asText()).isEqualTo("ERROR");
    assertThat(node.at("/metadata/managedFields/0/fieldsV1").toString())
        .isEqualTo("{\"f:spec\":{\"f:lattice\":{},\"f:role\":{}}}");
    assertThat(node.at("/metadata/managedFields/1/manager").asText()).isEqualTo("second");
  }

  @Test
  void applyNeedsAFieldManagerAndTheNameOfThePath() {
    String body = "{\"apiVersion\":\"lattice.diotec360.com/v1alpha1\",\"kind\":\"LatticeNode\","
        + "\"metadata\":{\"name\":\"other\"},\"spec\":{\"lattice\":\"l\",\"role\":\"genesis-primary\"}}";

    assertThat(send(api, "PATCH", nodePath("n"), APPLY, body).json().path("message").asText())
        .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    var answer = send(api, "PATCH", nodePath("n") + "?fieldManager=me", APPLY, body);
    assertThat(answer.code()).isEqualTo(400);
    assertThat(answer.json().path("message").asText())
        .isEqualTo("the name of the object (other) does not match the name on the URL (n)");
  }

  @Test
  void anAppliedCustomResourceIsAdmittedLikeAnyOther() {
    var answer = send(api, "PATCH", nodePath("n") + "?fieldManager=me", APPLY,
        "{\"apiVersion\":\"lattice.diotec360.com/v1alpha1\",\"kind\":\"LatticeNode\",\"metadata\":{\"name\":\"n\"},"
            + "\"spec\":{\"lattice\":\"l\",\"role\":\"Not_A_Role\"}}");

    assertThat(answer.code()).isEqualTo(422);
    assertThat(get(api, nodePath("n")).code()).isEqualTo(404);
  }
}
