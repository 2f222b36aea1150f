package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.apps;
import static com.diotec360.lattice.realapi.conformance.Fixtures.configMap;
import static com.diotec360.lattice.realapi.conformance.Fixtures.core;
import static com.diotec360.lattice.realapi.conformance.Fixtures.create;
import static com.diotec360.lattice.realapi.conformance.Fixtures.createNode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.TreeSet;

/** What kubectl reads: server-side Tables (kubectl get), discovery and OpenAPI (kubectl explain). */
final class ReadBehaviours {

  static final String TABLE = "application/json;as=Table;g=meta.k8s.io;v=v1";

  private ReadBehaviours() {}

  /** A Table's columns (name type format priority) and its rows' cells, ages as {@code <age>}. */
  static Observation table(Target.Answer answer) {
    Observation o = Observation.status(answer);
    JsonNode table = answer.json();
    o.put("kind", table.path("kind").asText() + " " + table.path("apiVersion").asText());
    int i = 0;
    for (JsonNode column : table.path("columnDefinitions")) {
      o.put("column[" + i++ + "]", column.path("name").asText() + " " + column.path("type").asText() + " "
          + column.path("format").asText() + " " + column.path("priority").asInt());
    }
    int r = 0;
    for (JsonNode row : table.path("rows")) {
      StringBuilder cells = new StringBuilder();
      row.path("cells").forEach(c -> cells.append(c.isTextual()
          ? c.asText().replaceAll("^(\\d+[smhdy])+$", "<age>").replaceAll("^10\\.\\d+\\.\\d+\\.\\d+$", "<ip>")
          : c.toString()).append(" | "));
      o.put("row[" + r + "]", cells.toString());
      o.put("row[" + r++ + "].object", row.path("object").path("kind").asText() + " "
          + row.path("object").path("apiVersion").asText());
    }
    return o;
  }

  private static Behaviour table(String id, String what, Seed seed, Path path) {
    return new Behaviour("table." + id, what, t -> {
      seed.in(t);
      return table(t.request("GET", path.of(t)).header("Accept", TABLE).send());
    });
  }

  private interface Seed {
    void in(Target t);
  }

  private interface Path {
    String of(Target t);
  }

  static List<Behaviour> all() {
    return List.of(
        table("latticenodes", "kubectl get ln: the CRD's printer columns", t -> {
          var stored = (com.fasterxml.jackson.databind.node.ObjectNode) createNode(t, "tbl-node", "");
          stored.putObject("status").put("phase", "Running").put("syncMode", "P2P").put("peerCount", 2)
              .put("merkleRoot", "07a313c836d3aaaa").put("consistency", "Consistent");
          t.put(Fixtures.node(t, "tbl-node") + "/status", stored.toString());
        }, t -> Fixtures.node(t, "tbl-node")),
        table("deployments", "kubectl get deploy", t -> create(t, apps(t, "deployments"),
            Fixtures.deployment("tbl-deploy", "[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":\"b\",\"image\":\"b:1\"}]")),
            t -> apps(t, "deployments") + "/tbl-deploy"),
        table("services", "kubectl get svc", t -> create(t, core(t, "services"),
            Fixtures.service("tbl-svc", "{\"selector\":{\"app\":\"x\"},\"ports\":[{\"port\":8000,\"name\":\"http\"},{\"port\":9000,\"name\":\"p2p\"}]}")),
            t -> core(t, "services") + "/tbl-svc"),
        table("configmaps", "kubectl get cm", t -> create(t, core(t, "configmaps"), configMap("tbl-cm", "{\"a\":\"1\",\"b\":\"2\"}")),
            t -> core(t, "configmaps") + "/tbl-cm"),
        table("secrets", "kubectl get secret", t -> create(t, core(t, "secrets"),
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"tbl-secret\"},\"data\":{\"a\":\"MQ==\"}}"),
            t -> core(t, "secrets") + "/tbl-secret"),
        table("pvcs", "kubectl get pvc", t -> create(t, core(t, "persistentvolumeclaims"), """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"tbl-pvc"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"""),
            t -> core(t, "persistentvolumeclaims") + "/tbl-pvc"),
        table("events", "kubectl get events", t -> create(t, core(t, "events"), """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"tbl-event.1"},
             "involvedObject":{"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode","name":"n","namespace":"%s"},
             "reason":"MerkleDivergence","message":"node n diverged","type":"Warning","count":1,
             "source":{"component":"lattice-operator"}}""".formatted(t.ns())),
            t -> core(t, "events") + "/tbl-event.1"),
        table("endpointslices", "kubectl get endpointslices", t -> create(t,
            "/apis/discovery.k8s.io/v1/namespaces/" + t.ns() + "/endpointslices", """
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"tbl-eps"},
             "addressType":"IPv4","endpoints":[{"addresses":["203.0.113.10"]}],"ports":[{"port":80,"name":"http"}]}"""),
            t -> "/apis/discovery.k8s.io/v1/namespaces/" + t.ns() + "/endpointslices/tbl-eps"),
        table("namespace", "kubectl get ns NAME", t -> { }, t -> "/api/v1/namespaces/" + t.ns()),
        table("pdbs", "kubectl get pdb", t -> create(t, "/apis/policy/v1/namespaces/" + t.ns() + "/poddisruptionbudgets", """
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"tbl-pdb"},
             "spec":{"minAvailable":2,"selector":{"matchLabels":{"lattice":"x"}}}}"""),
            t -> "/apis/policy/v1/namespaces/" + t.ns() + "/poddisruptionbudgets/tbl-pdb"),
        new Behaviour("table.include-object-none", "a Table with includeObject=None", t -> {
          create(t, core(t, "configmaps"), configMap("tbl-none", "{}"));
          var answer = t.request("GET", core(t, "configmaps") + "/tbl-none?includeObject=None").header("Accept", TABLE).send();
          return Observation.status(answer).put("object", answer.json().path("rows").path(0).path("object").toString());
        }),
        new Behaviour("table.v1beta1", "a Table in meta.k8s.io/v1beta1", t -> {
          create(t, core(t, "configmaps"), configMap("tbl-beta", "{}"));
          var answer = t.request("GET", core(t, "configmaps") + "/tbl-beta")
              .header("Accept", "application/json;as=Table;g=meta.k8s.io;v=v1beta1").send();
          return Observation.status(answer).put("apiVersion", answer.json().path("apiVersion").asText());
        }),
        new Behaviour("table.not-acceptable", "a Table in a version the server does not have", t ->
            Observation.status(t.request("GET", core(t, "configmaps"))
                .header("Accept", "application/json;as=Table;g=meta.k8s.io;v=v9").send())),
        new Behaviour("table.watch", "kubectl get -w: a watch of Tables, columns only in the first event", t -> {
          create(t, core(t, "configmaps"), configMap("tbl-watch", "{}"));
          var answer = t.request("GET", core(t, "configmaps") + "?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dtbl-watch")
              .header("Accept", TABLE).send();
          JsonNode first = Target.JSON.readTree(answer.body().split("\n")[0]);
          return Observation.of().put("code", answer.code()).put("type", first.path("type").asText())
              .put("object.kind", first.path("object").path("kind").asText())
              .put("columns", first.path("object").path("columnDefinitions").size());
        }),
        new Behaviour("discovery.api", "GET /api", t -> {
          var answer = t.get("/api");
          return Observation.status(answer).put("kind", answer.json().path("kind").asText())
              .put("versions", answer.json().path("versions").toString());
        }),
        new Behaviour("discovery.groups", "GET /apis: the groups the operator, charts and kubectl use", t -> {
          var answer = t.get("/apis");
          Observation o = Observation.status(answer).put("kind", answer.json().path("kind").asText());
          for (String group : List.of("apps", "discovery.k8s.io", "policy", "rbac.authorization.k8s.io",
              "coordination.k8s.io", "networking.k8s.io", "apiextensions.k8s.io", "authorization.k8s.io",
              "events.k8s.io", "lattice.diotec360.com")) {
            String preferred = "<absent>";
            for (JsonNode g : answer.json().path("groups")) {
              if (group.equals(g.path("name").asText())) {
                preferred = g.path("preferredVersion").path("groupVersion").asText();
              }
            }
            o.put(group, preferred);
          }
          return o;
        }),
        new Behaviour("discovery.crd-resources", "GET /apis/lattice.diotec360.com/v1alpha1", t ->
            resources(t.get("/apis/lattice.diotec360.com/v1alpha1"), null)),
        new Behaviour("discovery.core-resources", "GET /api/v1: the kinds the operator and kubectl use", t ->
            resources(t.get("/api/v1"), List.of("configmaps", "secrets", "services", "services/proxy", "services/status",
                "persistentvolumeclaims", "persistentvolumeclaims/status", "events", "pods", "namespaces", "serviceaccounts"))),
        new Behaviour("discovery.apps-resources", "GET /apis/apps/v1: deployments", t ->
            resources(t.get("/apis/apps/v1"), List.of("deployments", "deployments/status", "deployments/scale"))),
        new Behaviour("discovery.policy-resources", "GET /apis/policy/v1: poddisruptionbudgets", t ->
            resources(t.get("/apis/policy/v1"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status"))),
        new Behaviour("discovery.aggregated", "aggregated discovery (kubectl 1.30+ asks for it first)", t -> {
          var answer = t.request("GET", "/apis").header("Accept",
              "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;q=0.9").send();
          return Observation.status(answer).put("kind", answer.json().path("kind").asText());
        }),
        new Behaviour("discovery.version", "GET /version", t -> {
          var answer = t.get("/version");
          return Observation.status(answer).put("major", answer.json().path("major").asText())
              .put("minor", answer.json().path("minor").asText())
              .put("gitVersion", answer.json().path("gitVersion").asText());
        }),
        new Behaviour("discovery.openapi-v3-crd", "OpenAPI v3 of the CRD's group (kubectl explain)", t -> {
          var index = t.get("/openapi/v3");
          String url = index.json().path("paths").path("apis/lattice.diotec360.com/v1alpha1").path("serverRelativeURL").asText();
          var doc = t.get(url.isEmpty() ? "/openapi/v3/apis/lattice.diotec360.com/v1alpha1" : url);
          JsonNode node = doc.json().path("components").path("schemas").path("com.diotec360.lattice.v1alpha1.LatticeNode");
          return Observation.status(doc)
              .put("indexHasGroup", !url.isEmpty())
              .put("gvk", node.path("x-kubernetes-group-version-kind").toString())
              .put("spec.sync.mode.description", node.path("properties").path("spec").path("properties")
                  .path("sync").path("properties").path("mode").path("description").asText().length() > 0)
              .put("properties", properties(node));
        }),
        new Behaviour("discovery.openapi-v2", "OpenAPI v2 (JSON)", t -> {
          var doc = t.request("GET", "/openapi/v2").header("Accept", "application/json").send();
          return Observation.of().put("code", doc.code())
              .put("swagger", doc.json().path("swagger").asText())
              .put("hasLatticeNode", doc.json().path("definitions").has("com.diotec360.lattice.v1alpha1.LatticeNode"));
        }));
  }

  private static String properties(JsonNode schema) {
    TreeSet<String> names = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(names::add);
    return names.toString();
  }

  private static Observation resources(Target.Answer answer, List<String> only) {
    Observation o = Observation.status(answer).put("groupVersion", answer.json().path("groupVersion").asText());
    for (JsonNode r : answer.json().path("resources")) {
      String name = r.path("name").asText();
      if (only != null && !only.contains(name)) {
        continue;
      }
      List<String> verbs = new java.util.ArrayList<>();
      r.path("verbs").forEach(v -> verbs.add(v.asText()));
      java.util.Collections.sort(verbs);
      o.put(name, r.path("kind").asText() + " namespaced=" + r.path("namespaced").asBoolean()
          + " singular=" + r.path("singularName").asText() + " short=" + r.path("shortNames")
          + " categories=" + r.path("categories") + " verbs=" + verbs);
    }
    return o;
  }
}
