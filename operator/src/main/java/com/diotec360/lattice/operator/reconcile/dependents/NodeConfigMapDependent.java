package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodeEnvironment;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.api.ResourceNames;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** The node's {@code DIOTEC360_*} configuration, loaded into the container with envFrom. */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
public class NodeConfigMapDependent extends NodeConfigMapDependentBase {

  @Override
  protected String configMapName(NodePlan plan) {
    return ResourceNames.configMap(plan.name());
  }

  @Override
  protected String component() {
    return LatticeLabels.COMPONENT_NODE;
  }

  @Override
  protected Map<String, String> data(NodePlan plan) {
    return NodeEnvironment.configData(plan);
  }
}
