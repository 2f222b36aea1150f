package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.plan.LatticePlan;
import com.diotec360.lattice.operator.plan.NodeEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Objects;
import java.util.Optional;

/**
 * The lattice's one peer list, {@code <lattice>-lattice-peers}: every member's address and every
 * external member's URL, mounted by every member as the file the running node re-reads (each node
 * leaves itself out). A member joining or leaving changes this one object and restarts no pod; its
 * size grows with the number of members, once, not once per member.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_LATTICE_PEER_LISTS))
@Writes("the lattice peer-list ConfigMap")
public class LatticePeerListDependent extends LatticeOwnedDependent<ConfigMap> {

  public LatticePeerListDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected String name(String lattice) {
    return ResourceNames.latticePeerList(lattice);
  }

  @Override
  protected ConfigMap build(LatticePlan plan, Optional<ConfigMap> live) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ResourceNames.latticePeerList(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forLattice(plan.name(), LatticeLabels.COMPONENT_LATTICE_PEER_LIST))
        .endMetadata()
        .withData(NodeEnvironment.peerListData(plan.peers()))
        .build();
  }

  @Override
  protected boolean sameContent(ConfigMap actual, ConfigMap desired) {
    return Objects.equals(actual.getData(), desired.getData());
  }
}
