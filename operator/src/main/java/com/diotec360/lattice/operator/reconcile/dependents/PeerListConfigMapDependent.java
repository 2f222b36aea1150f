package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodeEnvironment;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import com.diotec360.lattice.operator.reconcile.ResourceNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Objects;

/**
 * The node's peer list, apart from its config: mounted as a file the running node re-reads, so a
 * member joining or leaving the lattice changes this object and restarts no pod.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_PEER_LISTS))
public class PeerListConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, LatticeNode> {

  public PeerListConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(LatticeNode node, Context<LatticeNode> context) {
    return build(node, NodePlan.of(context));
  }

  /** Exact: a variable removed from the spec must disappear, not linger as an "extra". */
  @Override
  public Matcher.Result<ConfigMap> match(
      ConfigMap actual, ConfigMap desired, LatticeNode primary, Context<LatticeNode> context) {
    return Matcher.Result.computed(Objects.equals(actual.getData(), desired.getData()), desired);
  }

  public static ConfigMap build(LatticeNode node, NodePlan plan) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ResourceNames.peerList(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forNode(node, LatticeLabels.COMPONENT_PEER_LIST))
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withData(NodeEnvironment.peerListData(plan.peers()))
        .build();
  }
}
