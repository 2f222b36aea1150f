package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.reconcile.dependents.Ownership;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.Map;
import java.util.Objects;

/** A ConfigMap a node owns whose data the operator decides entirely. */
abstract class NodeConfigMapDependentBase
    extends CRUDKubernetesDependentResource<ConfigMap, LatticeNode> {

  NodeConfigMapDependentBase() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(LatticeNode node, Context<LatticeNode> context) {
    return build(node, NodePlan.of(context));
  }

  /** The ConfigMap's name for the plan. */
  protected abstract String configMapName(NodePlan plan);

  /** The component label, which also picks this dependent's informer. */
  protected abstract String component();

  /** The ConfigMap's whole data. */
  protected abstract Map<String, String> data(NodePlan plan);

  public final ConfigMap build(LatticeNode node, NodePlan plan) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(configMapName(plan))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forNode(node, component()))
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withData(data(plan))
        .build();
  }

  /** Exact: a key removed from the desired data must disappear, not linger as an "extra". */
  @Override
  public Matcher.Result<ConfigMap> match(
      ConfigMap actual, ConfigMap desired, LatticeNode primary, Context<LatticeNode> context) {
    return Matcher.Result.computed(Objects.equals(actual.getData(), desired.getData()), desired);
  }

}
