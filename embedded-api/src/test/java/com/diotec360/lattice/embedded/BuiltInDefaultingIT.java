package com.diotec360.lattice.embedded;

import static com.diotec360.lattice.embedded.TestApi.get;
import static com.diotec360.lattice.embedded.TestApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each object a real v1.36 API server stored for the operator (testdata/real-api at the repository root), sent
 * again as the operator sent it — the fields the server fills in stripped here, from the
 * Kubernetes defaulting rules, not from the code under test — must come back as the real server
 * stored it. The fabric8 mock stores it as sent, so every case fails there.
 */
class BuiltInDefaultingIT {

  /** Annotations that controllers, not the operator, wrote. */
  private static final Set<String> CONTROLLER_ANNOTATIONS =
      Set.of("deployment.kubernetes.io/revision", "endpoints.kubernetes.io/last-change-trigger-time");

  private static EmbeddedApiServer api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  record Fixture(String plural, JsonNode stored) {
    @Override
    public String toString() {
      return stored.path("kind").asText() + " " + stored.at("/metadata/name").asText();
    }
  }

  static Stream<Fixture> fixtures() throws IOException {
    List<Fixture> all = new ArrayList<>();
    for (String plural : List.of("deployments", "services", "persistentvolumeclaims", "endpointslices",
        "configmaps", "secrets")) {
      try (InputStream in = BuiltInDefaultingIT.class.getResourceAsStream("/real-api/v1.36/" + plural + ".json")) {
        for (JsonNode item : TestApi.JSON.readTree(in).path("items")) {
          // EndpointSlices with generateName were made by the EndpointSlice controller, not the operator.
          if (!item.at("/metadata/generateName").isMissingNode()) {
            continue;
          }
          all.add(new Fixture(plural, item));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void storedAsTheRealServerStoredIt(Fixture fixture) {
    ObjectNode sent = asTheOperatorSentIt(fixture.stored());
    String collection = collection(fixture);
    var created = post(api, collection, sent.toString());
    assertThat(created.code()).as(created.body()).isEqualTo(201);

    JsonNode stored = get(api, collection + "/" + sent.at("/metadata/name").asText()).json();

    for (String part : List.of("spec", "data", "type", "addressType", "endpoints", "ports")) {
      assertThat(comparable(stored.path(part))).as(part).isEqualTo(comparable(fixture.stored().path(part)));
    }
    if (!"deployments".equals(fixture.plural())) {
      // a Deployment's status is its controller's; Services and PVCs get theirs from the server
      assertThat(stored.path("status")).as("status").isEqualTo(fixture.stored().path("status"));
    }
  }

  @Test
  void emptyCollectionsAndNullsVanishButEmptyStructsStay() {
    var created = post(api, "/apis/apps/v1/namespaces/test/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"empties","namespace":"test","labels":{},"annotations":{},"finalizers":[]},
         "spec":{"selector":{"matchLabels":{"a":"b"}},"paused":null,
          "template":{"metadata":{"labels":{"a":"b"},"annotations":{}},
           "spec":{"containers":[{"name":"c","image":"nginx","env":[],"args":[],"volumeMounts":[]}],
                   "volumes":[{"name":"tmp","emptyDir":{}}]}}}}""");
    assertThat(created.code()).as(created.body()).isEqualTo(201);

    JsonNode d = get(api, "/apis/apps/v1/namespaces/test/deployments/empties").json();

    assertThat(d.at("/metadata/labels").isMissingNode()).isTrue();
    assertThat(d.at("/metadata/annotations").isMissingNode()).isTrue();
    assertThat(d.at("/metadata/finalizers").isMissingNode()).isTrue();
    assertThat(d.at("/spec/paused").isMissingNode()).isTrue();
    assertThat(d.at("/spec/template/metadata/annotations").isMissingNode()).isTrue();
    JsonNode container = d.at("/spec/template/spec/containers/0");
    assertThat(container.has("env")).isFalse();
    assertThat(container.has("args")).isFalse();
    assertThat(container.get("imagePullPolicy").asText()).as("no tag").isEqualTo("Always");
    assertThat(container.get("resources").toString()).isEqualTo("{}");
    assertThat(d.at("/spec/template/spec/securityContext").toString()).isEqualTo("{}");
    assertThat(d.at("/spec/template/spec/volumes/0/emptyDir").toString()).isEqualTo("{}");
    assertThat(d.at("/spec/strategy").toString())
        .isEqualTo("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}");
    assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
  }

  @Test
  void secretStringDataIsStoredAsData() {
    post(api, "/api/v1/namespaces/test/secrets", """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"test"},
         "stringData":{"key":"s3cr3t"}}""");

    JsonNode s = get(api, "/api/v1/namespaces/test/secrets/s").json();

    assertThat(s.has("stringData")).isFalse();
    assertThat(s.at("/data/key").asText()).isEqualTo("czNjcjN0");
    assertThat(s.get("type").asText()).isEqualTo("Opaque");
  }

  @Test
  void aServiceKeepsItsClusterIpWhenAnUpdateLeavesItOut() {
    post(api, "/api/v1/namespaces/test/services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"keep-ip","namespace":"test"},
         "spec":{"selector":{"a":"b"},"ports":[{"port":80}]}}""");
    JsonNode created = get(api, "/api/v1/namespaces/test/services/keep-ip").json();
    String ip = created.at("/spec/clusterIP").asText();
    assertThat(ip).startsWith("10.96.");

    var updated = TestApi.mergePatch(api, "/api/v1/namespaces/test/services/keep-ip",
        "{\"spec\":{\"clusterIP\":null,\"clusterIPs\":null,\"ports\":[{\"port\":81}]}}");

    assertThat(updated.code()).as(updated.body()).isEqualTo(200);
    JsonNode after = get(api, "/api/v1/namespaces/test/services/keep-ip").json();
    assertThat(after.at("/spec/clusterIP").asText()).isEqualTo(ip);
    assertThat(after.at("/spec/ports/0/targetPort").asInt()).isEqualTo(81);
  }

  // ---------------------------------------------------------------------------------------------

  private static String collection(Fixture fixture) {
    String apiVersion = fixture.stored().path("apiVersion").asText();
    String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    return prefix + "/namespaces/" + TestApi.NS + "/" + fixture.plural();
  }

  /** The object without what the server adds, per the Kubernetes defaulting rules. */
  private static ObjectNode asTheOperatorSentIt(JsonNode stored) {
    ObjectNode o = stored.deepCopy();
    o.remove("status");
    ObjectNode metadata = (ObjectNode) o.get("metadata");
    for (String server : List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
        "finalizers")) {
      metadata.remove(server);
    }
    metadata.put("namespace", TestApi.NS);
    if (metadata.path("annotations").isObject()) {
      CONTROLLER_ANNOTATIONS.forEach(((ObjectNode) metadata.get("annotations"))::remove);
    }
    switch (o.path("kind").asText()) {
      case "Deployment" -> {
        ObjectNode spec = (ObjectNode) o.get("spec");
        spec.remove("progressDeadlineSeconds");
        ObjectNode pod = (ObjectNode) spec.at("/template/spec");
        for (String f : List.of("dnsPolicy", "restartPolicy", "schedulerName", "terminationGracePeriodSeconds")) {
          pod.remove(f);
        }
        for (JsonNode c : pod.path("containers")) {
          ObjectNode container = (ObjectNode) c;
          container.remove(List.of("terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy"));
          container.path("ports").forEach(p -> ((ObjectNode) p).remove("protocol"));
          for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (container.path(probe).isObject()) {
              ((ObjectNode) container.get(probe)).remove("successThreshold");
              ((ObjectNode) container.at("/" + probe + "/httpGet")).remove("scheme");
            }
          }
        }
        pod.path("volumes").forEach(v -> {
          if (v.path("configMap").isObject()) {
            ((ObjectNode) v.get("configMap")).remove("defaultMode");
          }
        });
      }
      case "Service" -> {
        ObjectNode spec = (ObjectNode) o.get("spec");
        if (!"None".equals(spec.path("clusterIP").asText())) {
          spec.remove("clusterIP");
        }
        if (!"RequireDualStack".equals(spec.path("ipFamilyPolicy").asText())) {
          spec.remove("ipFamilyPolicy");
        }
        spec.remove(List.of("clusterIPs", "ipFamilies", "internalTrafficPolicy", "sessionAffinity", "type"));
        if ("ExternalName".equals(stored.at("/spec/type").asText())) {
          spec.put("type", "ExternalName");
        }
        spec.path("ports").forEach(p -> {
          ObjectNode port = (ObjectNode) p;
          port.remove("protocol");
          if (port.path("targetPort").equals(port.path("port"))) {
            port.remove("targetPort");
          }
        });
      }
      case "PersistentVolumeClaim" -> ((ObjectNode) o.get("spec")).remove("volumeMode");
      case "Secret" -> o.remove("type");
      case "EndpointSlice" -> o.path("ports").forEach(p -> ((ObjectNode) p).remove("protocol"));
      default -> { }
    }
    return o;
  }

  /** Allocated cluster IPs differ by nature: compared by shape only. */
  private static JsonNode comparable(JsonNode node) {
    JsonNode copy = node.deepCopy();
    if (copy.isObject() && copy.has("clusterIP") && !"None".equals(copy.get("clusterIP").asText())) {
      ((ObjectNode) copy).put("clusterIP", "<allocated>");
      ((ObjectNode) copy).putArray("clusterIPs").add("<allocated>");
    }
    return copy;
  }
}
