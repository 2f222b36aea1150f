package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.createNode;
import static com.diotec360.lattice.realapi.conformance.Fixtures.lattices;
import static com.diotec360.lattice.realapi.conformance.Fixtures.node;
import static com.diotec360.lattice.realapi.conformance.Fixtures.nodeBody;
import static com.diotec360.lattice.realapi.conformance.Fixtures.nodes;

import java.util.ArrayList;
import java.util.List;

/**
 * Admission of the operator's custom resources by their CRDs (crds/): schema, CEL rules, pruning
 * and defaults, with the messages {@code kubectl apply} prints to a user.
 */
final class AdmissionBehaviours {

  private AdmissionBehaviours() {}

  /** A LatticeNode create refused (or not) for one bad spec. */
  private static Behaviour refused(String id, String what, String name, String spec) {
    return new Behaviour("admission." + id, what, t -> Observation.status(t.post(nodes(t), nodeBody(name, spec))));
  }

  static List<Behaviour> all(boolean latticeCrd) {
    List<Behaviour> all = new ArrayList<>(List.of(
        new Behaviour("admission.pattern", "a string that breaks its pattern (spec.role)", t -> Observation.status(
            t.post(nodes(t), nodeBody("adm-pattern", "").replace("genesis-primary", "Bad_Role")))),
        refused("maximum", "an integer above its maximum (sync.p2p.port 70000)", "adm-max",
            "\"sync\":{\"p2p\":{\"port\":70000}}"),
        refused("minimum", "an integer below its minimum (heartbeatIntervalSeconds 0)", "adm-min",
            "\"sync\":{\"heartbeatIntervalSeconds\":0}"),
        refused("enum", "a value outside its enum (sync.mode fast)", "adm-enum", "\"sync\":{\"mode\":\"fast\"}"),
        refused("type", "a string where an integer belongs", "adm-type", "\"sync\":{\"heartbeatIntervalSeconds\":\"five\"}"),
        new Behaviour("admission.max-length", "a string above maxLength (spec.lattice, 51 characters)",
            t -> Observation.status(t.post(nodes(t),
                nodeBody("adm-maxlen", "").replace("\"conformance\"", "\"" + "a".repeat(51) + "\"")))),
        refused("max-items", "a list above maxItems (33 peers)", "adm-maxitems",
            "\"peers\":[" + String.join(",", java.util.Collections.nCopies(33, "\"https://p.example\"")) + "]"),
        refused("cel-string", "a CEL rule on a string (env name DIOTEC360_X)", "adm-cel-string",
            "\"env\":[{\"name\":\"DIOTEC360_X\",\"value\":\"1\"}]"),
        refused("cel-integer", "a CEL rule on an integer (p2p.port 8000)", "adm-cel-int", "\"sync\":{\"p2p\":{\"port\":8000}}"),
        refused("cel-object", "a CEL rule on an object (peerless timeout not above the heartbeat)", "adm-cel-object",
            "\"sync\":{\"heartbeatIntervalSeconds\":30,\"peerlessTimeoutSeconds\":10}"),
        refused("cel-list", "a CEL rule on a list (duplicate hostnames)", "adm-cel-list",
            "\"dns\":{\"hostnames\":[\"a.example.com\",\"a.example.com\"]}"),
        refused("cel-root", "a CEL rule on the root (metadata.name of 58 characters)", "a" + "b".repeat(57), ""),
        refused("several", "several errors at once (pattern, maximum, CEL)", "adm-several",
            "\"image\":\"has space\",\"sync\":{\"p2p\":{\"port\":8000},\"httpPollIntervalSeconds\":4000}"),
        new Behaviour("admission.required", "a required field missing (spec.role)", t -> Observation.status(
            t.post(nodes(t), nodeBody("adm-required", "").replace(",\"role\":\"genesis-primary\"", "")))),
        new Behaviour("admission.transition-rule", "a CEL transition rule (spec.lattice is immutable)", t -> {
          createNode(t, "adm-immutable", "");
          return Observation.status(t.patch(node(t, "adm-immutable"), PatchBehaviours.MERGE,
              "{\"spec\":{\"lattice\":\"elsewhere\"}}"));
        }),
        new Behaviour("admission.defaults-and-pruning",
            "defaults filled in, unknown fields and nulls pruned (fieldValidation=Ignore)", t -> {
              var answer = t.post(nodes(t) + "?fieldValidation=Ignore",
                  nodeBody("adm-defaults", "\"unknown\":1,\"image\":null,\"sync\":{\"p2p\":{}}"));
              return Observation.status(answer).flatten("spec", answer.json().path("spec"));
            })));
    if (latticeCrd) {
      all.addAll(latticeBehaviours());
    }
    return all;
  }

  private static String lattice(String name, String spec) {
    return """
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"Lattice","metadata":{"name":"%s"},"spec":{%s}}"""
        .formatted(name, spec);
  }

  private static List<Behaviour> latticeBehaviours() {
    return List.of(
        new Behaviour("admission.lattice.defaults", "a Lattice with an empty spec: its defaults", t -> {
          var answer = t.post(lattices(t), lattice("lat-defaults", "\"disruptionBudget\":{}"));
          return Observation.status(answer).flatten("spec", answer.json().path("spec"));
        }),
        new Behaviour("admission.lattice.pattern", "a Lattice expectedMerkleRoot that is not 64 hex characters", t ->
            Observation.status(t.post(lattices(t), lattice("lat-pattern", "\"expectedMerkleRoot\":\"abc\"")))),
        new Behaviour("admission.lattice.required-in-list", "an external member without url and role", t ->
            Observation.status(t.post(lattices(t), lattice("lat-required", "\"externalMembers\":[{\"name\":\"x\"}]")))),
        new Behaviour("admission.lattice.cel-unique", "two external members with one name", t ->
            Observation.status(t.post(lattices(t), lattice("lat-unique", """
                "externalMembers":[{"name":"x","role":"r","url":"https://a.example"},
                                   {"name":"x","role":"r","url":"https://b.example"}]""")))),
        new Behaviour("admission.lattice.minimum", "disruptionBudget.maxUnavailable 0", t ->
            Observation.status(t.post(lattices(t), lattice("lat-min", "\"disruptionBudget\":{\"maxUnavailable\":0}")))),
        new Behaviour("admission.lattice.name", "a Lattice name of 51 characters (CEL on metadata.name)", t ->
            Observation.status(t.post(lattices(t), lattice("l" + "a".repeat(50), "")))));
  }
}
