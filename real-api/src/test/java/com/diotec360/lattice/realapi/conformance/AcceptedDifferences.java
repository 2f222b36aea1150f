package com.diotec360.lattice.realapi.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every difference between the real kube-apiserver and the embedded API that is accepted, each
 * with its reason, in one place. A key is a behaviour id ({@code table.events}), which accepts any
 * difference in it, or {@code id#key} (an observation key or key prefix), which accepts only that.
 * A difference not listed here fails the suite; an entry whose difference is gone fails it too,
 * so the list stays true. The embedded API's README lists the same differences for its users.
 */
final class AcceptedDifferences {

  private static final Map<String, String> ACCEPTED = new LinkedHashMap<>();

  private static void accept(String key, String reason) {
    if (ACCEPTED.put(key, reason) != null) {
      throw new IllegalStateException("accepted twice: " + key);
    }
  }

  static {
    // ---- stores and controllers: what the mock's store does, what no controller does -----------
    String generation = "the mock's store sets metadata.generation on every kind; a real server sets it only"
        + " where a spec has generations (Deployments, custom resources, PodDisruptionBudgets, ...). Nothing"
        + " reads it on these kinds";
    for (String id : List.of("configmap-empty", "event", "namespace", "pvc", "secret", "service-cluster-ip",
        "service-external-name", "service-headless")) {
      accept("defaults." + id + "#metadata.generation", generation);
    }
    accept("defaults.pvc#metadata.finalizers", "kubernetes.io/pvc-protection is removed on a cluster by a"
        + " controller once no pod uses the claim; with no controller it would keep every deleted claim in"
        + " Terminating, so the embedded API does not add it");
    accept("claims.grow-bound", "a real server asks the claim's StorageClass whether it may grow"
        + " (PersistentVolumeClaimResize admission); the embedded API has no StorageClasses, and nothing binds"
        + " a claim there unless a test writes its status");
    String diff = "the real server appends a diff of the two specs (Go field names) to the first line; the"
        + " embedded API gives the first line, which says what is refused";
    for (String id : List.of("grow-unbound", "shrink-unbound", "access-modes")) {
      accept("claims." + id + "#message.diff", diff);
    }
    accept("errors.service-ports-unnamed", "built-in objects are validated only where the operator or a"
        + " lattice-local user meets it (names, PVC updates, Deployment status); the operator names every port");
    accept("errors.unknown-resource", "the mock's store answers any path; kubectl asks only for what discovery"
        + " lists, and the operator only for its own kinds");
    accept("list.label-selector-in", "the mock's store ignores set-based label selectors (in, notin): a wider"
        + " match. Nothing in the project uses them");
    accept("list.shape", "a list the read path does not rewrite is the mock's kind List (apiVersion v1);"
        + " kubectl prints any list as List and fabric8 reads both");
    accept("patch.apply.configmap-then-update-manager", "only server-side apply records managedFields; other"
        + " writes record no Update manager, so a field last written by a PUT or patch is nobody's");
    accept("watch.gone#object.", "a real server says \"too old resource version: N (M)\" when its watch cache no"
        + " longer holds N (a cluster's usual case, the embedded API's words) and fails otherwise when etcd serves"
        + " the watch (watch cache off, as in this comparison)");

    // ---- discovery: what kubectl needs is served; the rest is not ------------------------------
    accept("discovery.aggregated", "aggregated discovery (apidiscovery.k8s.io/v2) is not served; kubectl falls"
        + " back to the legacy documents, which are");
    accept("discovery.groups#authorization.k8s.io", "access reviews are answered but the group is not listed:"
        + " kubectl auth can-i and the status page post them without looking it up");
    accept("discovery.groups#events.k8s.io", "events.k8s.io/v1 is not served: the operator and kubectl use"
        + " core/v1 Events");
    accept("discovery.apps-resources#deployments/scale", "no scale subresource (kubectl scale does not work);"
        + " the operator sets replicas in the spec");
    accept("discovery.version", "deliberate: kubectl is told its own minor version, so it prints no skew"
        + " warning; the behaviour is v1.36's");
    accept("discovery.openapi-v2#hasLatticeNode", "/openapi/v2 is served empty (no paths, no definitions):"
        + " kubectl 1.27+ explains, validates and patches with OpenAPI v3, which describes every kind; an apply"
        + " of a kind the server lacks fails with \"no matches for kind\" as on a cluster");
  }

  private AcceptedDifferences() {}

  /** Why the difference at {@code key} of behaviour {@code id} is accepted, if it is. */
  static Optional<String> reason(String id, String key) {
    String exact = ACCEPTED.get(id);
    if (exact != null) {
      return Optional.of(exact);
    }
    return ACCEPTED.entrySet().stream()
        .filter(e -> e.getKey().startsWith(id + "#") && key.startsWith(e.getKey().substring(id.length() + 1)))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The entries that concern behaviour {@code id}. */
  static Map<String, String> of(String id) {
    Map<String, String> entries = new LinkedHashMap<>();
    ACCEPTED.forEach((k, v) -> {
      if (k.equals(id) || k.startsWith(id + "#")) {
        entries.put(k, v);
      }
    });
    return entries;
  }
}
