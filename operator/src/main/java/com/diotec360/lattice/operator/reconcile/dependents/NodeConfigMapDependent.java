package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodeEnvironment;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.ResourceNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The node's {@code DIOTEC360_*} configuration, loaded into the container with envFrom. */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
public class NodeConfigMapDependent extends NodeConfigMapDependentBase {

  @Override
  protected ConfigMap build(LatticeNode node, NodePlan plan) {
    return of(node, plan);
  }

  public static ConfigMap of(LatticeNode node, NodePlan plan) {
    return configMap(
        node,
        plan,
        ResourceNames.configMap(plan.name()),
        LatticeLabels.COMPONENT_NODE,
        NodeEnvironment.configData(plan));
  }
}
