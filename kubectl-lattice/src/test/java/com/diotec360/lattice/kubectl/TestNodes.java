package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeNodes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LatticeNodes and their statuses written straight through the API, as the operator would write
 * them: the page tests need states on demand (unreachable, diverged, no quorum) without waiting for
 * real nodes to get into them.
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

  /** A status as the operator writes it. */
  static Map<String, Object> status(
      String phase, String mode, int peers, long version, String root, String verdict, String reachable,
      String referenceRoot, int agreeing, int members) {
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
    Map<String, Object> lattice = new LinkedHashMap<>();
    if (referenceRoot != null) {
      lattice.put("referenceRoot", referenceRoot);
    }
    lattice.put("agreeing", agreeing);
    lattice.put("members", members);
    s.put("lattice", lattice);
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(Map.of("type", "Reachable", "status", reachable, "reason", "Probe",
        "message", "m", "lastTransitionTime", "2026-11-30T10:00:00Z"));
    s.put("conditions", conditions);
    return s;
  }
}
