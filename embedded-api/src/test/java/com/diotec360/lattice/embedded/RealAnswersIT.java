package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.NS;
import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.mergePatch;
import static com.diotec360.lattice.embedded.TestApi.node;
import static com.diotec360.lattice.embedded.TestApi.nodePath;
import static com.diotec360.lattice.embedded.TestApi.nodesPath;
import static com.diotec360.lattice.embedded.TestApi.post;
import static com.diotec360.lattice.embedded.TestApi.put;
import static com.diotec360.lattice.embedded.TestApi.send;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers the conformance suite (real-api's ApiConformanceIT) found different on a real v1.36
 * server, checked here too so that this module's own build catches a regression without the
 * real server's binaries.
 */
class RealAnswersIT {

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  private static final String CLAIMS = "/api/v1/namespaces/" + NS + "/persistentvolumeclaims";
  private static final String CLAIM = """
      {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"state"},
       "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""";

  @Test
  void aMissingObjectIsANotFoundStatusAndATakenNameAnAlreadyExists() {
    var missing = get(api, nodePath("nope"));
    assertThat(missing.code()).isEqualTo(404);
    assertThat(missing.json().path("reason").asText()).isEqualTo("NotFound");
    assertThat(missing.json().path("message").asText())
        .isEqualTo("latticenodes.lattice.diotec360.com \"nope\" not found");

    post(api, nodesPath(), node("n1", "alpha"));
    var taken = post(api, nodesPath(), node("n1", "alpha"));
    assertThat(taken.code()).isEqualTo(409);
    assertThat(taken.json().path("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(taken.json().path("message").asText())
        .isEqualTo("latticenodes.lattice.diotec360.com \"n1\" already exists");
  }

  @Test
  void aNameTheKindDoesNotAllowIsRefused() {
    var answer = post(api, "/api/v1/namespaces/" + NS + "/secrets",
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"API_KEY\"}}");

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().path("message").asText())
        .startsWith("Secret \"API_KEY\" is invalid: metadata.name: Invalid value: \"API_KEY\": a lowercase RFC 1123"
            + " subdomain must consist of");
    assertThat(post(api, "/api/v1/namespaces/" + NS + "/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"1st\"},\"spec\":{\"ports\":[{\"port\":80}]}}")
        .json().path("message").asText()).contains("a DNS-1035 label must consist of");
  }

  @Test
  void anUnboundClaimMayNotChangeItsSpecAtAll() {
    post(api, CLAIMS, CLAIM);

    var grow = mergePatch(api, CLAIMS + "/state", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}");

    assertThat(grow.code()).isEqualTo(422);
    assertThat(grow.json().path("message").asText()).isEqualTo("PersistentVolumeClaim \"state\" is invalid: spec:"
        + " Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName"
        + " for bound claims");
    assertThat(mergePatch(api, CLAIMS + "/state", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}").code()).isEqualTo(200);
  }

  @Test
  void aBoundClaimMayGrowButNotShrinkBelowItsCapacity() {
    var claim = (com.fasterxml.jackson.databind.node.ObjectNode) post(api, CLAIMS, CLAIM).json();
    claim.putObject("status").put("phase", "Bound").putObject("capacity").put("storage", "1Gi");
    assertThat(put(api, CLAIMS + "/state/status", claim.toString()).code()).isEqualTo(200);

    var shrink = mergePatch(api, CLAIMS + "/state", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"500Mi\"}}}}");
    assertThat(shrink.code()).isEqualTo(422);
    assertThat(shrink.json().path("message").asText()).isEqualTo("PersistentVolumeClaim \"state\" is invalid:"
        + " spec.resources.requests.storage: Forbidden: field can not be less than status.capacity");
    assertThat(mergePatch(api, CLAIMS + "/state", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}")
        .code()).isEqualTo(200);
  }

  @Test
  void aDeploymentStatusTheControllerCouldNotHaveWrittenIsRefused() {
    String deployments = "/apis/apps/v1/namespaces/" + NS + "/deployments";
    var created = (com.fasterxml.jackson.databind.node.ObjectNode) post(api, deployments, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
         "spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
                 "spec":{"containers":[{"name":"c","image":"i"}]}}}}""").json();
    created.putObject("status").put("replicas", 1).put("readyReplicas", 0).put("availableReplicas", 1);

    var answer = put(api, deployments + "/d/status", created.toString());

    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.json().path("message").asText()).isEqualTo("Deployment.apps \"d\" is invalid:"
        + " status.availableReplicas: Invalid value: 1: cannot be greater than readyReplicas");
    assertThat(send(api, "DELETE", deployments + "/nope", null, null).json().path("reason").asText())
        .isEqualTo("NotFound");
  }
}
