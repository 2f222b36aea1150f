package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.plan.NodeEnvironment;
import com.diotec360.lattice.operator.plan.NodePlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** The node's {@code DIOTEC360_*} configuration, loaded into the container with envFrom. */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
@Writes("the config ConfigMap")
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
