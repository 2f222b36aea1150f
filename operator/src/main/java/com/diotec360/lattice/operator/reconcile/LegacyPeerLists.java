package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires the per-node peer list ({@code <node>-peer-list}) of releases before the Lattice
 * resource. A member moves to its lattice's one peer list with its next pod-template revision,
 * which the roller gates like any other restart; until then its running pod still mounts the old
 * list, so the old list is deleted only once the node's Deployment no longer refers to it. There
 * is no moment in which a member has no peer list.
 */
final class LegacyPeerLists {

  private static final Logger LOG = LoggerFactory.getLogger(LegacyPeerLists.class);

  void removeUnmounted(
      LatticeNode node, Optional<Deployment> deployment, LatticeObjects lattice, KubernetesClient client) {
    String namespace = node.getMetadata().getNamespace();
    Optional<ConfigMap> old = lattice.legacyPeerList(namespace, node.getMetadata().getName());
    if (old.isEmpty() || deployment.isEmpty() || mounts(deployment.get(), old.get())) {
      return;
    }
    LOG.info("{}/{}: its Deployment uses the lattice's peer list now; deleting the old {}",
        namespace, node.getMetadata().getName(), old.get().getMetadata().getName());
    client.resource(old.get()).delete();
  }

  /** True when the Deployment's pod template refers to the ConfigMap (volume or env). */
  static boolean mounts(Deployment deployment, ConfigMap configMap) {
    String name = configMap.getMetadata().getName();
    var pod = deployment.getSpec().getTemplate().getSpec();
    boolean volume = Objects.requireNonNullElse(pod.getVolumes(), java.util.List.<io.fabric8.kubernetes.api.model.Volume>of())
        .stream()
        .anyMatch(v -> v.getConfigMap() != null && name.equals(v.getConfigMap().getName()));
    boolean env = pod.getContainers().stream()
        .flatMap(c -> Objects.requireNonNullElse(c.getEnv(), java.util.List.<io.fabric8.kubernetes.api.model.EnvVar>of()).stream())
        .anyMatch(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null
            && name.equals(e.getValueFrom().getConfigMapKeyRef().getName()));
    return volume || env;
  }
}
