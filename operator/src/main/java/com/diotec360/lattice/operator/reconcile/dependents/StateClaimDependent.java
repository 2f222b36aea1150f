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
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ReadWriteOnce claim for the node's state. A claim's spec is immutable but for its size, so
 * only the requested size is compared and updated; the API server refuses a shrink with its own
 * message, which lands in the operator log and the reconcile error.
 *
 * <p>With {@code spec.storage.retainOnDelete} the claim has no owner reference, so deleting the
 * node leaves it; it is found by name (not by owner), so a new node of the same name takes it over,
 * and turning the setting off gives it its owner back.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
public class StateClaimDependent
    extends CRUDKubernetesDependentResource<PersistentVolumeClaim, LatticeNode>
    implements SecondaryToPrimaryMapper<PersistentVolumeClaim> {

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
        .withOwnerReferences(retained(node) ? List.of() : List.of(Ownership.controlledBy(node)))
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
    if (useSSA(context)) { // the SSA experiment (SsaExperiment)
      return super.match(actual, SsaExperiment.annotated(desired), primary, context);
    }
    return Matcher.Result.computed(
        Objects.equals(requestedSize(actual), requestedSize(desired))
            && ownedBy(actual, primary) == !retained(primary),
        desired);
  }

  @Override
  public PersistentVolumeClaim update(
      PersistentVolumeClaim actual,
      PersistentVolumeClaim desired,
      LatticeNode primary,
      Context<LatticeNode> context) {
    if (useSSA(context)) { // the SSA experiment (SsaExperiment)
      return super.update(actual, desired, primary, context);
    }
    PersistentVolumeClaim resized = new PersistentVolumeClaimBuilder(actual).build();
    resized.getSpec().getResources().getRequests().put("storage", requestedSize(desired));
    List<OwnerReference> owners = new ArrayList<>();
    for (OwnerReference owner : Objects.requireNonNullElse(actual.getMetadata().getOwnerReferences(), List.<OwnerReference>of())) {
      if (!Boolean.TRUE.equals(owner.getController())) {
        owners.add(owner); // somebody else's; the node's own controller reference is decided below
      }
    }
    if (!retained(primary)) {
      owners.add(Ownership.controlledBy(primary));
    }
    resized.getMetadata().setOwnerReferences(owners);
    resized.getMetadata().setLabels(desired.getMetadata().getLabels());
    return context.getClient().resource(resized).update();
  }

  /** Owner references come from {@link #build}: none while the claim is retained. */
  @Override
  protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, LatticeNode primary) {}

  /** Found by name: a retained claim has no owner reference to find it by. */
  @Override
  public Optional<PersistentVolumeClaim> getSecondaryResource(
      LatticeNode node, Context<LatticeNode> context) {
    return eventSource()
        .flatMap(
            es ->
                es.get(
                    new ResourceID(
                        ResourceNames.stateClaim(node.getMetadata().getName()),
                        node.getMetadata().getNamespace())));
  }

  /** A change to a claim wakes the node it is labelled for, owned or not. */
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(PersistentVolumeClaim claim) {
    var labels = claim.getMetadata().getLabels();
    String node = labels == null ? null : labels.get(LatticeLabels.NODE);
    return node == null
        ? Set.of()
        : Set.of(new ResourceID(node, claim.getMetadata().getNamespace()));
  }

  private static boolean retained(LatticeNode node) {
    return node.getSpec().getStorage() != null
        && Boolean.TRUE.equals(node.getSpec().getStorage().getRetainOnDelete());
  }

  private static boolean ownedBy(PersistentVolumeClaim claim, LatticeNode node) {
    return Objects.requireNonNullElse(claim.getMetadata().getOwnerReferences(), List.<OwnerReference>of())
        .stream()
        .anyMatch(o -> Boolean.TRUE.equals(o.getController())
            && Objects.equals(o.getUid(), node.getMetadata().getUid()));
  }

  private static Quantity requestedSize(PersistentVolumeClaim claim) {
    var resources = claim.getSpec().getResources();
    return resources == null || resources.getRequests() == null
        ? null
        : resources.getRequests().get("storage");
  }
}
