package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
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

  protected abstract ConfigMap build(LatticeNode node, NodePlan plan);

  /** Exact: a key removed from the desired data must disappear, not linger as an "extra". */
  @Override
  public Matcher.Result<ConfigMap> match(
      ConfigMap actual, ConfigMap desired, LatticeNode primary, Context<LatticeNode> context) {
    return Matcher.Result.computed(Objects.equals(actual.getData(), desired.getData()), desired);
  }

  static ConfigMap configMap(
      LatticeNode node, NodePlan plan, String name, String component, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forNode(node, component))
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withData(data)
        .build();
  }
}
