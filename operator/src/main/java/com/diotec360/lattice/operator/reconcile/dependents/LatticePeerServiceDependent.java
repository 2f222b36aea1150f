package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.plan.LatticePlan;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Objects;
import java.util.Optional;

/**
 * The lattice's headless Service {@code <lattice>-peers}: its DNS name resolves to every member's
 * pod, ready or not, for peer discovery.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_LATTICE_PEERS))
@Writes("the lattice peer Service")
public class LatticePeerServiceDependent extends LatticeOwnedDependent<Service> {

  public LatticePeerServiceDependent() {
    super(Service.class);
  }

  @Override
  protected String name(String lattice) {
    return ResourceNames.latticePeerService(lattice);
  }

  @Override
  protected Service build(LatticePlan plan, Optional<Service> live) {
    return build(plan.name(), plan.namespace());
  }

  public static Service build(String lattice, String namespace) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ResourceNames.latticePeerService(lattice))
        .withNamespace(namespace)
        .withLabels(LatticeLabels.forLattice(lattice, LatticeLabels.COMPONENT_LATTICE_PEERS))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(LatticeLabels.selectLattice(lattice))
        .addNewPort()
        .withName("http")
        .withPort(ResourceNames.HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  @Override
  protected boolean sameContent(Service actual, Service desired) {
    return Objects.equals(actual.getSpec().getSelector(), desired.getSpec().getSelector())
        && Objects.equals(
            actual.getSpec().getPublishNotReadyAddresses(),
            desired.getSpec().getPublishNotReadyAddresses());
  }
}
