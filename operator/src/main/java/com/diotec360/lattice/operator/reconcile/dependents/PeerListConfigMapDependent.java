package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodeEnvironment;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.api.ResourceNames;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The node's peer list, apart from its config: mounted as a file the running node re-reads, so a
 * member joining or leaving the lattice changes this object and restarts no pod.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_PEER_LISTS))
public class PeerListConfigMapDependent extends NodeConfigMapDependentBase {

  @Override
  protected String configMapName(NodePlan plan) {
    return ResourceNames.peerList(plan.name());
  }

  @Override
  protected String component() {
    return LatticeLabels.COMPONENT_PEER_LIST;
  }

  @Override
  protected Map<String, String> data(NodePlan plan) {
    return NodeEnvironment.peerListData(plan.peers());
  }
}
