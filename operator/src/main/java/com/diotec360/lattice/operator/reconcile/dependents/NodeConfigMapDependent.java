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

/** The node's {@code DIOTEC360_*} configuration, loaded into the container with envFrom. */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
public class NodeConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, LatticeNode> {

  public NodeConfigMapDependent() {
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
        .withName(ResourceNames.configMap(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forNode(node, LatticeLabels.COMPONENT_NODE))
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withData(NodeEnvironment.configData(plan))
        .build();
  }
}
