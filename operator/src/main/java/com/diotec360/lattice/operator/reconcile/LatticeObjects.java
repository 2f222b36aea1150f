package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * What a member reads of its lattice's objects, from the member controller's informer caches: the
 * Lattice, its Secret and its peer list (which the member's Deployment refers to, so it waits for
 * them), and the per-node peer lists of earlier releases.
 */
public record LatticeObjects(
    InformerEventSource<Lattice, LatticeNode> lattices,
    InformerEventSource<Secret, LatticeNode> secrets,
    InformerEventSource<ConfigMap, LatticeNode> peerLists,
    InformerEventSource<ConfigMap, LatticeNode> legacyPeerLists) {

  public Optional<Lattice> lattice(String namespace, String lattice) {
    return lattices.get(new ResourceID(lattice, namespace));
  }

  public Optional<Secret> secret(String namespace, String lattice) {
    return secrets.get(new ResourceID(ResourceNames.latticeSecret(lattice), namespace));
  }

  /** True when the lattice's Secret and peer list both exist: a member's pod can start. */
  public boolean exist(String namespace, String lattice) {
    return secret(namespace, lattice).isPresent()
        && peerLists.get(new ResourceID(ResourceNames.latticePeerList(lattice), namespace)).isPresent();
  }

  /** The node's peer list from a release before the Lattice resource, if it is still there. */
  public Optional<ConfigMap> legacyPeerList(String namespace, String node) {
    return legacyPeerLists.get(new ResourceID(ResourceNames.legacyPeerList(node), namespace));
  }
}
