package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.apps;
import static com.diotec360.lattice.realapi.conformance.Fixtures.configMap;
import static com.diotec360.lattice.realapi.conformance.Fixtures.core;
import static com.diotec360.lattice.realapi.conformance.Fixtures.create;
import static com.diotec360.lattice.realapi.conformance.Fixtures.createNode;
import static com.diotec360.lattice.realapi.conformance.Fixtures.deployment;
import static com.diotec360.lattice.realapi.conformance.Fixtures.node;

import java.util.List;

/**
 * The four patch types as the operator (merge, JSON patch), kubectl (strategic merge for built-ins,
 * merge for custom resources, apply with --server-side) and the plugin (merge) send them.
 */
final class PatchBehaviours {

  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE = "application/merge-patch+json";
  static final String STRATEGIC = "application/strategic-merge-patch+json";
  static final String APPLY = "application/apply-patch+yaml";

  private PatchBehaviours() {}

  static List<Behaviour> all() {
    return List.of(
        new Behaviour("patch.json.add-under-missing-parent",
            "JSON patch: add /status/phase to a custom resource without status", t -> {
              createNode(t, "jp-parent", "");
              return Observation.status(t.patch(node(t, "jp-parent"), JSON_PATCH,
                  "[{\"op\":\"add\",\"path\":\"/status/phase\",\"value\":\"Running\"}]"));
            }),
        new Behaviour("patch.json.replace-missing", "JSON patch: replace a field that is absent", t -> {
          createNode(t, "jp-replace", "");
          var answer = t.patch(node(t, "jp-replace"), JSON_PATCH,
              "[{\"op\":\"replace\",\"path\":\"/spec/image\",\"value\":\"x:1\"}]");
          return Observation.status(answer).put("spec.image", answer.json().path("spec").path("image").asText("<absent>"));
        }),
        new Behaviour("patch.json.remove-missing", "JSON patch: remove a field that is absent", t -> {
          createNode(t, "jp-remove", "");
          return Observation.status(t.patch(node(t, "jp-remove"), JSON_PATCH,
              "[{\"op\":\"remove\",\"path\":\"/spec/image\"}]"));
        }),
        new Behaviour("patch.json.replace-past-the-end", "JSON patch: replace an index past a list's end", t -> {
          createNode(t, "jp-index", "\"peers\":[\"https://a.example\"]");
          return Observation.status(t.patch(node(t, "jp-index"), JSON_PATCH,
              "[{\"op\":\"replace\",\"path\":\"/spec/peers/3\",\"value\":\"https://b.example\"}]"));
        }),
        new Behaviour("patch.json.test-fails", "JSON patch: a failing test op", t -> {
          createNode(t, "jp-test", "");
          return Observation.status(t.patch(node(t, "jp-test"), JSON_PATCH,
              "[{\"op\":\"test\",\"path\":\"/spec/role\",\"value\":\"other\"},"
                  + "{\"op\":\"replace\",\"path\":\"/spec/role\",\"value\":\"changed\"}]"));
        }),
        new Behaviour("patch.json.applies", "JSON patch: add, replace, remove on spec", t -> {
          createNode(t, "jp-ok", "\"image\":\"x:1\",\"peers\":[\"https://a.example\"]");
          var answer = t.patch(node(t, "jp-ok"), JSON_PATCH,
              "[{\"op\":\"add\",\"path\":\"/spec/peers/-\",\"value\":\"https://b.example\"},"
                  + "{\"op\":\"replace\",\"path\":\"/spec/role\",\"value\":\"genesis-public\"},"
                  + "{\"op\":\"remove\",\"path\":\"/spec/image\"}]");
          return Observation.status(answer).flatten("spec", answer.json().path("spec"))
              .put("generation", answer.json().path("metadata").path("generation"));
        }),
        new Behaviour("patch.json.not-a-list", "JSON patch: a body that is not a list of operations", t -> {
          createNode(t, "jp-bad", "");
          return Observation.status(t.patch(node(t, "jp-bad"), JSON_PATCH, "{\"op\":\"add\"}"));
        }),
        new Behaviour("patch.merge.null-deletes-arrays-replace",
            "merge patch: null deletes a key, a list is replaced whole", t -> {
              createNode(t, "mp", "\"image\":\"x:1\",\"peers\":[\"https://a.example\",\"https://b.example\"]");
              var answer = t.patch(node(t, "mp"), MERGE,
                  "{\"spec\":{\"image\":null,\"peers\":[\"https://c.example\"]}}");
              return Observation.status(answer).flatten("spec", answer.json().path("spec"));
            }),
        new Behaviour("patch.merge.missing-object", "merge patch of an object that does not exist", t ->
            Observation.status(t.patch(node(t, "mp-missing"), MERGE, "{\"spec\":{\"role\":\"x\"}}"))),
        new Behaviour("patch.strategic.custom-resource", "strategic merge patch of a custom resource", t -> {
          createNode(t, "smp-cr", "");
          return Observation.status(t.patch(node(t, "smp-cr"), STRATEGIC, "{\"spec\":{\"role\":\"x\"}}"));
        }),
        new Behaviour("patch.unknown-type", "a patch with an unknown content type", t -> {
          createNode(t, "unknown-type", "");
          return Observation.status(t.patch(node(t, "unknown-type"), "application/foo+json", "{}"));
        }),
        new Behaviour("patch.strategic.containers-merge-by-name",
            "strategic merge patch: containers merge by name, $patch delete, $setElementOrder", t -> {
              create(t, apps(t, "deployments"), deployment("smp-deploy",
                  "[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":\"b\",\"image\":\"b:1\"},{\"name\":\"c\",\"image\":\"c:1\"}]"));
              var answer = t.patch(apps(t, "deployments") + "/smp-deploy", STRATEGIC, """
                  {"spec":{"template":{"spec":{
                    "$setElementOrder/containers":[{"name":"c"},{"name":"a"}],
                    "containers":[{"name":"a","image":"a:2"},{"name":"b","$patch":"delete"}]}}}}""");
              var containers = answer.json().path("spec").path("template").path("spec").path("containers");
              Observation o = Observation.status(answer);
              for (int i = 0; i < containers.size(); i++) {
                o.put("containers[" + i + "]", containers.get(i).path("name").asText() + "="
                    + containers.get(i).path("image").asText());
              }
              return o;
            }),
        new Behaviour("patch.strategic.map-null-deletes", "strategic merge patch: null deletes a ConfigMap key", t -> {
          create(t, core(t, "configmaps"), configMap("smp-cm", "{\"a\":\"1\",\"b\":\"2\"}"));
          var answer = t.patch(core(t, "configmaps") + "/smp-cm", STRATEGIC, "{\"data\":{\"a\":null,\"c\":\"3\"}}");
          return Observation.status(answer).flatten("data", answer.json().path("data"));
        }),
        new Behaviour("patch.strategic.retain-keys", "strategic merge patch: $retainKeys on a Deployment strategy", t -> {
          create(t, apps(t, "deployments"), deployment("smp-retain", "[{\"name\":\"a\",\"image\":\"a:1\"}]"));
          var answer = t.patch(apps(t, "deployments") + "/smp-retain", STRATEGIC,
              "{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}}");
          return Observation.status(answer).flatten("strategy", answer.json().path("spec").path("strategy"));
        }),
        new Behaviour("patch.apply.creates", "server-side apply creates an absent object", t -> {
          var answer = t.request("PATCH", node(t, "ssa-new") + "?fieldManager=alice")
              .body(APPLY, """
                  {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
                   "metadata":{"name":"ssa-new"},"spec":{"lattice":"conformance","role":"genesis-primary"}}""")
              .send();
          var managed = answer.json().path("metadata").path("managedFields").path(0);
          return Observation.status(answer)
              .put("managers", answer.json().path("metadata").path("managedFields").size())
              .put("manager", managed.path("manager").asText())
              .put("operation", managed.path("operation").asText())
              .put("spec.sync.mode", answer.json().path("spec").path("sync").path("mode").asText());
        }),
        new Behaviour("patch.apply.needs-field-manager", "server-side apply without fieldManager", t ->
            Observation.status(t.request("PATCH", node(t, "ssa-nomanager")).body(APPLY, """
                {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
                 "metadata":{"name":"ssa-nomanager"},"spec":{"lattice":"conformance","role":"genesis-primary"}}""")
                .send())),
        new Behaviour("patch.apply.name-mismatch", "server-side apply whose body names another object", t ->
            Observation.status(t.request("PATCH", node(t, "ssa-url") + "?fieldManager=alice").body(APPLY, """
                {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
                 "metadata":{"name":"ssa-body"},"spec":{"lattice":"conformance","role":"genesis-primary"}}""")
                .send())),
        new Behaviour("patch.apply.conflict-then-force",
            "server-side apply: another manager's field → 409, then force takes it", t -> {
              String path = node(t, "ssa-conflict");
              String body = """
                  {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
                   "metadata":{"name":"ssa-conflict"},
                   "spec":{"lattice":"conformance","role":"genesis-primary","logLevel":"%s"}}""";
              t.request("PATCH", path + "?fieldManager=first").body(APPLY, body.formatted("INFO")).send();
              var conflict = t.request("PATCH", path + "?fieldManager=second").body(APPLY, body.formatted("DEBUG")).send();
              var forced = t.request("PATCH", path + "?fieldManager=second&force=true")
                  .body(APPLY, body.formatted("DEBUG")).send();
              return Observation.status(conflict)
                  .put("causes", conflict.json().path("details").path("causes"))
                  .status("forced.", forced)
                  .put("forced.logLevel", forced.json().path("spec").path("logLevel").asText());
            }),
        new Behaviour("patch.apply.drops-unapplied", "server-side apply: a field the manager stops applying is removed", t -> {
          String path = node(t, "ssa-drop") + "?fieldManager=alice";
          String body = """
              {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode","metadata":{"name":"ssa-drop"},
               "spec":{"lattice":"conformance","role":"genesis-primary"%s}}""";
          t.request("PATCH", path).body(APPLY, body.formatted(",\"image\":\"x:1\"")).send();
          var again = t.request("PATCH", path).body(APPLY, body.formatted("")).send();
          return Observation.status(again).put("spec.image", again.json().path("spec").path("image").asText("<absent>"));
        }),
        new Behaviour("patch.apply.configmap-then-update-manager",
            "server-side apply after a PUT: managers recorded", t -> {
              create(t, core(t, "configmaps"), configMap("ssa-cm", "{\"a\":\"1\"}"));
              var applied = t.request("PATCH", core(t, "configmaps") + "/ssa-cm?fieldManager=alice").body(APPLY,
                  "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa-cm\"},\"data\":{\"b\":\"2\"}}")
                  .send();
              var managers = new StringBuilder();
              applied.json().path("metadata").path("managedFields").forEach(m ->
                  managers.append(m.path("operation").asText()).append(' '));
              return Observation.status(applied).flatten("data", applied.json().path("data"))
                  .put("operations", managers.toString().trim());
            }));
  }
}
