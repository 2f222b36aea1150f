package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import com.diotec360.lattice.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Objects;

/**
 * The ReadWriteOnce claim for the node's state. A claim's spec is immutable but for its size, so
 * only the requested size is compared and updated; the API server refuses a shrink with its own
 * message, which lands in the operator log and the reconcile error.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
public class StateClaimDependent
    extends CRUDKubernetesDependentResource<PersistentVolumeClaim, LatticeNode> {

  public StateClaimDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(LatticeNode node, Context<LatticeNode> context) {
    return build(node, NodePlan.of(context));
  }

  public static PersistentVolumeClaim build(LatticeNode node, NodePlan plan) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(ResourceNames.stateClaim(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forNode(node, LatticeLabels.COMPONENT_NODE))
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(plan.storageClassName())
        .withNewResources()
        .addToRequests("storage", new Quantity(plan.storageSize()))
        .endResources()
        .endSpec()
        .build();
  }

  @Override
  public Matcher.Result<PersistentVolumeClaim> match(
      PersistentVolumeClaim actual,
      PersistentVolumeClaim desired,
      LatticeNode primary,
      Context<LatticeNode> context) {
    return Matcher.Result.computed(
        Objects.equals(requestedSize(actual), requestedSize(desired)), desired);
  }

  @Override
  public PersistentVolumeClaim update(
      PersistentVolumeClaim actual,
      PersistentVolumeClaim desired,
      LatticeNode primary,
      Context<LatticeNode> context) {
    PersistentVolumeClaim resized = new PersistentVolumeClaimBuilder(actual).build();
    resized.getSpec().getResources().getRequests().put("storage", requestedSize(desired));
    return context.getClient().resource(resized).update();
  }

  private static Quantity requestedSize(PersistentVolumeClaim claim) {
    var resources = claim.getSpec().getResources();
    return resources == null || resources.getRequests() == null
        ? null
        : resources.getRequests().get("storage");
  }
}
