package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.apps;
import static com.diotec360.lattice.realapi.conformance.Fixtures.create;
import static com.diotec360.lattice.realapi.conformance.Fixtures.createNode;
import static com.diotec360.lattice.realapi.conformance.Fixtures.deployment;
import static com.diotec360.lattice.realapi.conformance.Fixtures.node;
import static com.diotec360.lattice.realapi.conformance.Fixtures.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The status subresource: what the operator's status writes and everybody's main writes do. */
final class StatusBehaviours {

  private StatusBehaviours() {}

  static List<Behaviour> all() {
    return List.of(
        new Behaviour("status.create-drops-status", "create a custom resource with a status", t -> {
          String body = Fixtures.nodeBody("st-create", "").replaceFirst("}}$", "},\"status\":{\"phase\":\"Running\"}}");
          var answer = t.post(nodes(t), body);
          return Observation.status(answer)
              .put("status", answer.json().path("status").toString())
              .put("generation", answer.json().path("metadata").path("generation"));
        }),
        new Behaviour("status.put-status-changes-only-status",
            "PUT /status with a changed spec: only status is stored, generation stays", t -> {
              ObjectNode stored = (ObjectNode) createNode(t, "st-put", "");
              stored.putObject("status").put("phase", "Running");
              ((ObjectNode) stored.get("spec")).put("role", "changed");
              var answer = t.put(node(t, "st-put") + "/status", stored.toString());
              return Observation.status(answer)
                  .put("spec.role", answer.json().path("spec").path("role").asText())
                  .put("status.phase", answer.json().path("status").path("phase").asText())
                  .put("generation", answer.json().path("metadata").path("generation"));
            }),
        new Behaviour("status.main-put-keeps-status",
            "PUT of the object with another status: status kept, generation bumped", t -> {
              ObjectNode stored = (ObjectNode) createNode(t, "st-main", "");
              stored.putObject("status").put("phase", "Running");
              ObjectNode withStatus = (ObjectNode) t.put(node(t, "st-main") + "/status", stored.toString()).json();
              withStatus.putObject("status").put("phase", "Failed");
              ((ObjectNode) withStatus.get("spec")).put("role", "changed");
              var answer = t.put(node(t, "st-main"), withStatus.toString());
              return Observation.status(answer)
                  .put("spec.role", answer.json().path("spec").path("role").asText())
                  .put("status.phase", answer.json().path("status").path("phase").asText())
                  .put("generation", answer.json().path("metadata").path("generation"));
            }),
        new Behaviour("status.merge-patch-status", "merge patch of /status", t -> {
          createNode(t, "st-merge", "");
          var answer = t.patch(node(t, "st-merge") + "/status", PatchBehaviours.MERGE,
              "{\"spec\":{\"role\":\"changed\"},\"status\":{\"phase\":\"Pending\"}}");
          return Observation.status(answer)
              .put("spec.role", answer.json().path("spec").path("role").asText())
              .put("status.phase", answer.json().path("status").path("phase").asText())
              .put("generation", answer.json().path("metadata").path("generation"));
        }),
        new Behaviour("status.json-patch-status-without-status",
            "JSON patch add /status/phase on /status of an object without status", t -> {
              createNode(t, "st-jp", "");
              return Observation.status(t.patch(node(t, "st-jp") + "/status", PatchBehaviours.JSON_PATCH,
                  "[{\"op\":\"add\",\"path\":\"/status/phase\",\"value\":\"Running\"}]"));
            }),
        new Behaviour("status.stale-put-status", "PUT /status with a stale resourceVersion", t -> {
          ObjectNode stored = (ObjectNode) createNode(t, "st-stale", "");
          t.patch(node(t, "st-stale"), PatchBehaviours.MERGE, "{\"spec\":{\"role\":\"changed\"}}");
          stored.putObject("status").put("phase", "Running");
          return Observation.status(t.put(node(t, "st-stale") + "/status", stored.toString()));
        }),
        new Behaviour("status.with-query-string", "PUT /status?fieldManager=x (query string on a status write)", t -> {
          ObjectNode stored = (ObjectNode) createNode(t, "st-query", "");
          stored.putObject("status").put("phase", "Running");
          var answer = t.put(node(t, "st-query") + "/status?fieldManager=operator", stored.toString());
          return Observation.status(answer).put("status.phase", answer.json().path("status").path("phase").asText());
        }),
        new Behaviour("status.deployment-create", "create a Deployment with a status", t -> {
          String body = deployment("st-deploy", "[{\"name\":\"a\",\"image\":\"a:1\"}]")
              .replaceFirst("}}}}$", "}}},\"status\":{\"replicas\":3,\"readyReplicas\":3}}");
          var answer = t.post(apps(t, "deployments"), body);
          return Observation.status(answer).flatten("status", answer.json().path("status"));
        }),
        new Behaviour("status.deployment-main-keeps-status", "a Deployment PUT keeps the stored status", t -> {
          JsonNode created = create(t, apps(t, "deployments"), deployment("st-deploy-keep", "[{\"name\":\"a\",\"image\":\"a:1\"}]"));
          ObjectNode status = (ObjectNode) created.deepCopy();
          status.putObject("status").put("replicas", 1).put("updatedReplicas", 1).put("readyReplicas", 1)
              .put("availableReplicas", 1).put("observedGeneration", 1);
          ObjectNode afterStatus = (ObjectNode) t.put(apps(t, "deployments") + "/st-deploy-keep/status", status.toString()).json();
          afterStatus.remove("status");
          ((ObjectNode) afterStatus.get("spec")).put("replicas", 2);
          var answer = t.put(apps(t, "deployments") + "/st-deploy-keep", afterStatus.toString());
          return Observation.status(answer).flatten("status", answer.json().path("status"))
              .put("generation", answer.json().path("metadata").path("generation"));
        }),
        new Behaviour("status.deployment-available-above-ready",
            "Deployment status with more available than ready replicas", t -> {
              JsonNode created = create(t, apps(t, "deployments"), deployment("st-deploy-avail", "[{\"name\":\"a\",\"image\":\"a:1\"}]"));
              ObjectNode status = (ObjectNode) created.deepCopy();
              status.putObject("status").put("replicas", 1).put("readyReplicas", 0).put("availableReplicas", 1);
              return Observation.status(t.put(apps(t, "deployments") + "/st-deploy-avail/status", status.toString()));
            }),
        new Behaviour("status.deployment-ready-above-replicas",
            "Deployment status with more ready replicas than replicas", t -> {
              JsonNode created = create(t, apps(t, "deployments"), deployment("st-deploy-ready", "[{\"name\":\"a\",\"image\":\"a:1\"}]"));
              ObjectNode status = (ObjectNode) created.deepCopy();
              status.putObject("status").put("replicas", 1).put("readyReplicas", 2).put("availableReplicas", 0);
              return Observation.status(t.put(apps(t, "deployments") + "/st-deploy-ready/status", status.toString()));
            }));
  }
}
