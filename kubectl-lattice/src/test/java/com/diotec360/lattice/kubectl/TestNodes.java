package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeNodes;
import com.diotec360.lattice.view.Lattices;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LatticeNodes, Lattices and their statuses written straight through the API, as the operator
 * would write them: the page tests need states on demand (unreachable, diverged, no quorum, a
 * rollout that waits) without waiting for real nodes to get into them.
 */
final class TestNodes {

  private final KubernetesClient client;
  private final String namespace;

  TestNodes(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  GenericKubernetesResource create(String name, String lattice, String mode) {
    GenericKubernetesResource node = new GenericKubernetesResource();
    node.setApiVersion(LatticeNodes.API_VERSION);
    node.setKind(LatticeNodes.KIND);
    node.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("lattice", lattice);
    spec.put("role", "genesis-primary");
    spec.put("sync", new LinkedHashMap<>(Map.of("mode", mode)));
    node.setAdditionalProperty("spec", spec);
    return LatticeNodes.api(client).inNamespace(namespace).resource(node).create();
  }

  void delete(String name) {
    LatticeNodes.api(client).inNamespace(namespace).withName(name).delete();
  }

  /** Replaces the node's status (PUT /status). */
  void status(String name, Map<String, Object> status) {
    GenericKubernetesResource node = LatticeNodes.api(client).inNamespace(namespace).withName(name).get();
    node.setAdditionalProperty("status", status);
    LatticeNodes.api(client).inNamespace(namespace).resource(node).updateStatus();
  }

  /** Creates a Lattice named {@code name} (no status until {@link #latticeStatus}). */
  GenericKubernetesResource createLattice(String name) {
    return createLattice(name, Map.of());
  }

  /** Creates a Lattice named {@code name} with this spec (no status until {@link #latticeStatus}). */
  GenericKubernetesResource createLattice(String name, Map<String, Object> spec) {
    GenericKubernetesResource lattice = new GenericKubernetesResource();
    lattice.setApiVersion(LatticeNodes.API_VERSION);
    lattice.setKind(Lattices.KIND);
    lattice.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .addToLabels("app.kubernetes.io/managed-by", "lattice-operator").build());
    lattice.setAdditionalProperty("spec", new LinkedHashMap<>(spec));
    return Lattices.api(client).inNamespace(namespace).resource(lattice).create();
  }

  void deleteLattice(String name) {
    Lattices.api(client).inNamespace(namespace).withName(name).delete();
  }

  /** Replaces the Lattice's status (PUT /status). */
  void latticeStatus(String name, Map<String, Object> status) {
    GenericKubernetesResource lattice = Lattices.api(client).inNamespace(namespace).withName(name).get();
    lattice.setAdditionalProperty("status", status);
    Lattices.api(client).inNamespace(namespace).resource(lattice).updateStatus();
  }

  /**
   * A Lattice status as the operator writes it: the counts, the phase, the reference root (absent
   * without a quorum) with when it was written, and the Ready and Quorum conditions.
   */
  static Map<String, Object> latticeStatus(
      String phase, int members, int agreeing, String referenceRoot, String readyMessage) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("observedGeneration", 1);
    s.put("members", members);
    s.put("agreeing", agreeing);
    s.put("quorum", members / 2 + 1);
    if (referenceRoot != null) {
      s.put("referenceRoot", referenceRoot);
      s.put("rootShort", referenceRoot.substring(0, 12));
      s.put("refreshedAt", "2026-11-30T10:00:00Z");
    }
    s.put("phase", phase);
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(Map.of("type", "Ready", "status", phase.equals("Healthy") ? "True" : "False", "reason", phase,
        "message", readyMessage, "lastTransitionTime", "2026-11-30T10:00:00Z"));
    conditions.add(Map.of("type", "Quorum", "status", referenceRoot != null ? "True" : "False",
        "reason", referenceRoot != null ? "QuorumHeld" : "NoQuorum", "message", "m",
        "lastTransitionTime", "2026-11-30T10:00:00Z"));
    s.put("conditions", conditions);
    return s;
  }

  /** A LatticeNode status as the operator writes it; root and version written at {@code 2026-11-30T10:00:00Z}. */
  static Map<String, Object> status(
      String phase, String mode, int peers, long version, String root, String verdict, String reachable) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("observedGeneration", 1);
    s.put("phase", phase);
    s.put("syncMode", mode);
    s.put("peerCount", peers);
    s.put("version", version);
    if (root != null) {
      s.put("merkleRoot", root);
      s.put("rootShort", root.substring(0, 12));
    }
    s.put("consistency", verdict);
    s.put("syncModeSince", "2026-11-30T10:00:00Z");
    s.put("lastProbeTime", "2026-11-30T10:00:00Z");
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(Map.of("type", "Reachable", "status", reachable, "reason", "Probe",
        "message", "m", "lastTransitionTime", "2026-11-30T10:00:00Z"));
    s.put("conditions", conditions);
    return s;
  }
}
