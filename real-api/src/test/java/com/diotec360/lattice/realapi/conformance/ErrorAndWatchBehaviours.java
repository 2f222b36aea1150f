package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.configMap;
import static com.diotec360.lattice.realapi.conformance.Fixtures.core;
import static com.diotec360.lattice.realapi.conformance.Fixtures.create;
import static com.diotec360.lattice.realapi.conformance.Fixtures.createNode;
import static com.diotec360.lattice.realapi.conformance.Fixtures.node;
import static com.diotec360.lattice.realapi.conformance.Fixtures.nodeBody;
import static com.diotec360.lattice.realapi.conformance.Fixtures.nodes;
import static com.diotec360.lattice.realapi.conformance.Fixtures.rv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The answers a client must tell apart (409 conflict, 404, 410 Gone, 422 on a PUT without a
 * version) and HTTP watches as kubectl get -w and client-go informers resume them.
 */
final class ErrorAndWatchBehaviours {

  private ErrorAndWatchBehaviours() {}

  static List<Behaviour> all() {
    return List.of(
        new Behaviour("errors.create-exists", "create an object that exists", t -> {
          createNode(t, "err-exists", "");
          return Observation.status(t.post(nodes(t), nodeBody("err-exists", "")));
        }),
        new Behaviour("errors.stale-update", "PUT with a stale resourceVersion", t -> {
          ObjectNode stored = (ObjectNode) createNode(t, "err-stale", "");
          t.patch(node(t, "err-stale"), PatchBehaviours.MERGE, "{\"spec\":{\"role\":\"changed\"}}");
          return Observation.status(t.put(node(t, "err-stale"), stored.toString()));
        }),
        new Behaviour("errors.stale-merge-patch", "merge patch naming a stale resourceVersion", t -> {
          JsonNode stored = createNode(t, "err-stale-patch", "");
          t.patch(node(t, "err-stale-patch"), PatchBehaviours.MERGE, "{\"spec\":{\"role\":\"changed\"}}");
          return Observation.status(t.patch(node(t, "err-stale-patch"), PatchBehaviours.MERGE,
              "{\"metadata\":{\"resourceVersion\":\"" + rv(stored) + "\"},\"spec\":{\"role\":\"again\"}}"));
        }),
        new Behaviour("errors.custom-resource-put-without-version", "PUT of a custom resource without resourceVersion", t -> {
          createNode(t, "err-norv", "");
          return Observation.status(t.put(node(t, "err-norv"), nodeBody("err-norv", "\"image\":\"x:2\"")));
        }),
        new Behaviour("errors.configmap-put-without-version", "PUT of a ConfigMap without resourceVersion", t -> {
          create(t, core(t, "configmaps"), configMap("err-cm-norv", "{\"a\":\"1\"}"));
          return Observation.status(t.put(core(t, "configmaps") + "/err-cm-norv", configMap("err-cm-norv", "{\"a\":\"2\"}")));
        }),
        new Behaviour("errors.put-name-mismatch", "PUT whose body names another object", t -> {
          JsonNode stored = createNode(t, "err-name", "");
          ObjectNode other = stored.deepCopy();
          ((ObjectNode) other.get("metadata")).put("name", "err-other");
          return Observation.status(t.put(node(t, "err-name"), other.toString()));
        }),
        new Behaviour("errors.get-missing", "GET of a missing object", t -> {
          var answer = t.get(node(t, "err-missing"));
          return Observation.status(answer).flatten("details", answer.json().path("details"));
        }),
        new Behaviour("errors.delete-missing", "DELETE of a missing object", t ->
            Observation.status(t.delete(core(t, "configmaps") + "/err-missing"))),
        new Behaviour("errors.unknown-resource", "GET of a resource the group does not serve", t ->
            Observation.status(t.get("/apis/lattice.diotec360.com/v1alpha1/namespaces/" + t.ns() + "/nothings"))),
        new Behaviour("errors.invalid-name", "create a ConfigMap whose name is not a DNS subdomain", t ->
            Observation.status(t.post(core(t, "configmaps"), configMap("Bad_Name", "{}")))),
        new Behaviour("errors.service-ports-unnamed", "create a Service with two ports, one without a name", t ->
            Observation.status(t.post(core(t, "services"), Fixtures.service("err-ports",
                "{\"selector\":{\"app\":\"x\"},\"ports\":[{\"port\":8000},{\"port\":9000,\"name\":\"p2p\"}]}")))),
        new Behaviour("errors.delete-with-finalizer", "DELETE of an object with a finalizer: marked, kept", t -> {
          createNode(t, "err-final", "");
          t.patch(node(t, "err-final"), PatchBehaviours.MERGE,
              "{\"metadata\":{\"finalizers\":[\"lattice.diotec360.com/cleanup\"]}}");
          var deleted = t.delete(node(t, "err-final"));
          var after = t.get(node(t, "err-final"));
          t.patch(node(t, "err-final"), PatchBehaviours.MERGE, "{\"metadata\":{\"finalizers\":null}}");
          var gone = t.get(node(t, "err-final"));
          return Observation.status(deleted)
              .put("deletedKind", deleted.json().path("kind").asText())
              .put("after.code", after.code())
              .put("after.deletionTimestamp", after.json().path("metadata").has("deletionTimestamp"))
              .put("afterFinalizerRemoved.code", gone.code());
        }),
        new Behaviour("watch.resume-from-version", "watch from a list's resourceVersion: every later change", t -> {
          String path = core(t, "configmaps");
          create(t, path, configMap("w-seed", "{}").replace("\"name\":\"w-seed\"", "\"name\":\"w-seed\",\"labels\":{\"w\":\"resume\"}"));
          String from = t.get(path + "?labelSelector=w%3Dresume").json().path("metadata").path("resourceVersion").asText();
          create(t, path, configMap("w-added", "{}").replace("\"name\":\"w-added\"", "\"name\":\"w-added\",\"labels\":{\"w\":\"resume\"}"));
          t.patch(path + "/w-seed", PatchBehaviours.MERGE, "{\"data\":{\"a\":\"1\"}}");
          t.delete(path + "/w-added");
          return events(t.get(path + "?watch=true&labelSelector=w%3Dresume&timeoutSeconds=1&resourceVersion=" + from));
        }),
        new Behaviour("watch.without-version", "watch without resourceVersion: the current objects as ADDED", t -> {
          String path = core(t, "configmaps");
          create(t, path, configMap("w-now", "{}").replace("\"name\":\"w-now\"", "\"name\":\"w-now\",\"labels\":{\"w\":\"now\"}"));
          return events(t.get(path + "?watch=true&labelSelector=w%3Dnow&timeoutSeconds=1"));
        }),
        new Behaviour("watch.field-selector", "watch by metadata.name", t -> {
          String path = core(t, "configmaps");
          create(t, path, configMap("w-field", "{}"));
          return events(t.get(path + "?watch=true&fieldSelector=metadata.name%3Dw-field&timeoutSeconds=1&resourceVersion=0"));
        }),
        new Behaviour("watch.gone", "watch resumed from a compacted resourceVersion: 410 Gone", t -> {
          var answer = t.watchFromCompactedVersion();
          String first = answer.body().split("\n")[0];
          JsonNode event = Target.JSON.readTree(first.isBlank() ? "{}" : first);
          JsonNode object = event.has("object") ? event.get("object") : event;
          return Observation.of().put("code", answer.code())
              .put("type", event.path("type").asText("<none>"))
              .put("object.code", object.path("code"))
              .put("object.reason", object.path("reason").asText())
              .put("object.message", object.path("message").asText());
        }),
        new Behaviour("list.shape", "a list's kind, apiVersion and resourceVersion", t -> {
          createNode(t, "list-shape", "");
          var answer = t.get(nodes(t));
          return Observation.status(answer)
              .put("kind", answer.json().path("kind").asText())
              .put("apiVersion", answer.json().path("apiVersion").asText())
              .put("hasResourceVersion", !answer.json().path("metadata").path("resourceVersion").asText().isEmpty());
        }),
        new Behaviour("list.label-selector-in", "list with a set-based label selector (tier in (a))", t -> {
          String path = core(t, "configmaps");
          for (String tier : List.of("a", "b")) {
            create(t, path, configMap("sel-" + tier, "{}")
                .replace("\"name\":\"sel-" + tier + "\"", "\"name\":\"sel-" + tier + "\",\"labels\":{\"tier\":\"" + tier + "\"}"));
          }
          var answer = t.get(path + "?labelSelector=tier%20in%20(a)");
          StringBuilder names = new StringBuilder();
          answer.json().path("items").forEach(i -> names.append(i.path("metadata").path("name").asText()).append(' '));
          return Observation.status(answer).put("names", names.toString().trim());
        }));
  }

  /** The events of a finished watch, one "TYPE name" each. */
  static Observation events(Target.Answer answer) throws Exception {
    Observation o = Observation.of().put("code", answer.code());
    int i = 0;
    for (String line : answer.body().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode event = Target.JSON.readTree(line);
      o.put("event[" + i++ + "]", event.path("type").asText() + " "
          + event.path("object").path("metadata").path("name").asText());
    }
    return o;
  }
}
