package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.configMap;
import static com.diotec360.lattice.realapi.conformance.Fixtures.core;
import static com.diotec360.lattice.realapi.conformance.Fixtures.create;
import static com.diotec360.lattice.realapi.conformance.Fixtures.createNode;
import static com.diotec360.lattice.realapi.conformance.Fixtures.node;
import static com.diotec360.lattice.realapi.conformance.Fixtures.nodeBody;
import static com.diotec360.lattice.realapi.conformance.Fixtures.nodes;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;

/**
 * Who may do what (RBAC refusals, access reviews as the status page asks them), the service proxy's
 * own error answers (kubectl lattice diff), dry runs (kubectl diff, --dry-run=server) and field
 * validation (kubectl's --validate).
 */
final class AccessBehaviours {

  /** A user who may read ConfigMaps and read and patch LatticeNodes (not their status) in the namespace. */
  static final String USER = "alice";

  private static final Map<String, KubernetesClient> ALICE = new ConcurrentHashMap<>();

  private AccessBehaviours() {}

  static KubernetesClient alice(Target t) {
    return ALICE.computeIfAbsent(t.name(), k -> {
      var role = new RoleBuilder()
          .withNewMetadata().withName("conformance-reader").withNamespace(t.ns()).endMetadata()
          .withRules(
              new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
                  .withVerbs("get", "list", "watch").build(),
              new PolicyRuleBuilder().withApiGroups("lattice.diotec360.com").withResources("latticenodes")
                  .withVerbs("get", "list", "watch", "patch").build())
          .build();
      KubernetesClient client = t.clientAs(USER, List.of(), List.of(role));
      // The real server's RBAC reads bindings from a cache: wait until this one is in it.
      Awaitility.await("RBAC for " + USER + " on " + t.name()).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> t.request(client, "GET", core(t, "configmaps")).send().code() == 200);
      return client;
    });
  }

  private static Behaviour asAlice(String id, String what, String method, Path path) {
    return new Behaviour("rbac." + id, what, t -> Observation.status(
        t.request(alice(t), method, path.of(t)).body("application/merge-patch+json", "{}").send()));
  }

  private interface Path {
    String of(Target t);
  }

  private static String review(Target t, String verb, String resource, String subresource) {
    return """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
         "spec":{"resourceAttributes":{"namespace":"%s","verb":"%s","group":"lattice.diotec360.com",
                 "resource":"%s","subresource":"%s"}}}""".formatted(t.ns(), verb, resource, subresource);
  }

  private static Observation reviewed(Target t, String body) {
    var answer = t.request(alice(t), "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .body("application/json", body).send();
    var status = answer.json().path("status");
    return Observation.status(answer)
        .put("allowed", status.path("allowed").asBoolean())
        .put("denied", status.path("denied").asBoolean())
        .put("hasReason", !status.path("reason").asText().isEmpty());
  }

  /**
   * A Service with a selector no pod matches, and the empty Endpoints object a cluster's endpoints
   * controller keeps for it (the real test server runs no controller).
   */
  private static void unbacked(Target t, String name) {
    create(t, core(t, "services"), Fixtures.service(name,
        "{\"selector\":{\"app\":\"px\"},\"ports\":[{\"name\":\"http\",\"port\":8000}]}"));
    create(t, core(t, "endpoints"), "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"" + name + "\"}}");
  }

  static List<Behaviour> all() {
    return List.of(
        asAlice("get-forbidden", "GET of a Secret without the right", "GET", t -> core(t, "secrets") + "/s"),
        asAlice("list-cluster-forbidden", "list namespaces (cluster scope) without the right", "GET", t -> "/api/v1/namespaces"),
        asAlice("delete-forbidden", "DELETE of a LatticeNode without the right", "DELETE", t -> node(t, "n")),
        asAlice("status-forbidden", "PATCH of latticenodes/status with only latticenodes patch", "PATCH",
            t -> node(t, "n") + "/status"),
        asAlice("watch-forbidden", "watch Secrets without the right", "GET", t -> core(t, "secrets") + "?watch=true"),
        asAlice("allowed-missing", "an allowed GET of a missing ConfigMap", "GET", t -> core(t, "configmaps") + "/missing"),
        asAlice("proxy-forbidden", "the service proxy without services/proxy", "GET",
            t -> core(t, "services") + "/n:http/proxy/api/lattice/state"),
        new Behaviour("rbac.access-review-allowed", "SelfSubjectAccessReview: may alice patch latticenodes?", t ->
            reviewed(t, review(t, "patch", "latticenodes", ""))),
        new Behaviour("rbac.access-review-denied", "SelfSubjectAccessReview: may alice patch latticenodes/status?", t ->
            reviewed(t, review(t, "patch", "latticenodes", "status"))),
        new Behaviour("proxy.missing-service", "service proxy to a Service that does not exist", t ->
            Observation.status(t.get(core(t, "services") + "/px-missing:http/proxy/"))),
        new Behaviour("proxy.no-endpoints", "service proxy to a Service with nothing behind it", t -> {
          unbacked(t, "px-empty");
          return Observation.status(t.get(core(t, "services") + "/px-empty:http/proxy/health"));
        }),
        new Behaviour("proxy.unknown-port-number", "service proxy to a port number the Service lacks", t -> {
          unbacked(t, "px-port");
          return Observation.status(t.get(core(t, "services") + "/px-port:9999/proxy/health"));
        }),
        new Behaviour("proxy.unknown-port-name", "service proxy to a port name the Service lacks", t -> {
          unbacked(t, "px-name");
          return Observation.status(t.get(core(t, "services") + "/px-name:bogus/proxy/health"));
        }),
        new Behaviour("proxy.bad-scheme", "service proxy with scheme ftp", t ->
            Observation.status(t.get(core(t, "services") + "/ftp:px-name:http/proxy/"))),
        new Behaviour("proxy.no-trailing-slash", "…/proxy without a slash", t -> {
          unbacked(t, "px-slash");
          var answer = t.get(core(t, "services") + "/px-slash:http/proxy");
          return Observation.of().put("code", answer.code())
              .put("location", String.join(",", answer.header("Location")).replaceAll("^https?://[^/]+", ""));
        }),
        new Behaviour("dryrun.create", "create with dryRun=All: answered as stored, nothing stored", t -> {
          var answer = t.post(nodes(t) + "?dryRun=All", nodeBody("dry-create", ""));
          var after = t.get(node(t, "dry-create"));
          return Observation.status(answer)
              .put("spec.sync.mode", answer.json().path("spec").path("sync").path("mode").asText())
              .put("hasUid", answer.json().path("metadata").has("uid"))
              .put("generation", answer.json().path("metadata").path("generation"))
              .put("resourceVersion", answer.json().path("metadata").path("resourceVersion").asText("<absent>"))
              .put("after.code", after.code());
        }),
        new Behaviour("dryrun.patch", "merge patch with dryRun=All: the result, nothing changed", t -> {
          var stored = createNode(t, "dry-patch", "");
          var answer = t.patch(node(t, "dry-patch") + "?dryRun=All", PatchBehaviours.MERGE, "{\"spec\":{\"role\":\"changed\"}}");
          var after = t.get(node(t, "dry-patch"));
          return Observation.status(answer)
              .put("spec.role", answer.json().path("spec").path("role").asText())
              .put("generation", answer.json().path("metadata").path("generation"))
              .put("sameResourceVersion", Fixtures.rv(answer.json()).equals(Fixtures.rv(stored)))
              .put("after.spec.role", after.json().path("spec").path("role").asText());
        }),
        new Behaviour("dryrun.invalid", "an invalid create with dryRun=All is refused as without", t ->
            Observation.status(t.post(nodes(t) + "?dryRun=All",
                nodeBody("dry-invalid", "\"sync\":{\"p2p\":{\"port\":8000}}")))),
        new Behaviour("dryrun.delete", "DELETE with dryRun=All: nothing deleted", t -> {
          create(t, core(t, "configmaps"), configMap("dry-delete", "{}"));
          var answer = t.delete(core(t, "configmaps") + "/dry-delete?dryRun=All");
          return Observation.status(answer).put("after.code", t.get(core(t, "configmaps") + "/dry-delete").code());
        }),
        new Behaviour("dryrun.bad-value", "dryRun=Yes", t ->
            Observation.status(t.post(core(t, "configmaps") + "?dryRun=Yes", configMap("dry-bad", "{}")))),
        fields("strict-create", "fieldValidation=Strict: an unknown spec field on create", "POST", "?fieldValidation=Strict",
            nodeBody("fv-strict", "\"sync\":{\"peerlesTimeoutSeconds\":30}")),
        fields("strict-duplicate", "fieldValidation=Strict: a duplicate field", "POST", "?fieldValidation=Strict",
            nodeBody("fv-dup", "\"image\":\"a:1\",\"image\":\"a:2\"")),
        fields("strict-metadata", "fieldValidation=Strict: an unknown metadata field", "POST", "?fieldValidation=Strict",
            nodeBody("fv-meta", "").replace("\"metadata\":{", "\"metadata\":{\"labelz\":{},")),
        fields("warn", "fieldValidation=Warn: stored pruned, one warning per field", "POST", "?fieldValidation=Warn",
            nodeBody("fv-warn", "\"foo\":1,\"sync\":{\"bar\":2}")),
        fields("absent", "no fieldValidation: as Warn", "POST", "", nodeBody("fv-absent", "\"foo\":1")),
        fields("ignore", "fieldValidation=Ignore: pruned, no warning", "POST", "?fieldValidation=Ignore",
            nodeBody("fv-ignore", "\"foo\":1")),
        fields("bad-value", "fieldValidation=Sometimes", "POST", "?fieldValidation=Sometimes", nodeBody("fv-bad", "")),
        fields("strict-builtin", "fieldValidation=Strict: a ConfigMap with an unknown field", "POST-core",
            "?fieldValidation=Strict", configMap("fv-cm", "{}").replace("\"data\"", "\"dta\"")),
        new Behaviour("fields.strict-patch", "fieldValidation=Strict: a merge patch with an unknown field", t -> {
          createNode(t, "fv-patch", "");
          var answer = t.patch(node(t, "fv-patch") + "?fieldValidation=Strict", PatchBehaviours.MERGE,
              "{\"spec\":{\"imag\":\"x:1\"}}");
          // the message quotes the whole patched object, managedFields and all: compare the rest
          return Observation.status(answer.withMessage(m -> m.replaceFirst("Invalid value: \"\\{.*}\": ",
                  "Invalid value: \"<the patched object>\": ")))
              .put("warnings", String.join(" / ", answer.header("Warning")));
        }));
  }

  private static Behaviour fields(String id, String what, String method, String query, String body) {
    return new Behaviour("fields." + id, what, t -> {
      String collection = method.equals("POST-core") ? core(t, "configmaps") : nodes(t);
      var answer = t.post(collection + query, body);
      return Observation.status(answer)
          .put("warnings", String.join(" / ", answer.header("Warning")))
          .flatten("stored.spec", answer.code() < 300 ? answer.json().path("spec") : Target.JSON.nullNode());
    });
  }
}
