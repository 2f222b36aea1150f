package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericResourceUpdater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An object one lattice shares (its peer Service, its secret). Every member lists itself as a
 * non-controller owner, so the object lives as long as any member does and the garbage collector
 * removes it with the last one. Any member's reconcile keeps the owner list equal to the current
 * members; JOSDK does not add its own controller reference and never deletes it.
 */
public abstract class LatticeSharedDependent<R extends HasMetadata>
    extends KubernetesDependentResource<R, LatticeNode>
    implements Creator<R, LatticeNode>, Updater<R, LatticeNode>, SecondaryToPrimaryMapper<R> {

  protected LatticeSharedDependent(Class<R> type) {
    super(type);
  }

  /** The shared object's name for a lattice. */
  protected abstract String sharedName(String lattice);

  /** The desired object for the plan; the current object, if any, is given to keep its data. */
  protected abstract R build(NodePlan plan, Optional<R> current);

  /** Compares the content apart from metadata. */
  protected abstract boolean sameContent(R actual, R desired);

  @Override
  protected R desired(LatticeNode node, Context<LatticeNode> context) {
    return build(NodePlan.of(context), getSecondaryResource(node, context));
  }

  /** Found by name: another member may have created it before this one owned it. */
  @Override
  public Optional<R> getSecondaryResource(LatticeNode node, Context<LatticeNode> context) {
    return eventSource()
        .flatMap(
            es ->
                es.get(
                    new ResourceID(
                        sharedName(node.getSpec().getLattice()),
                        node.getMetadata().getNamespace())));
  }

  @Override
  public Matcher.Result<R> match(
      R actual, R desired, LatticeNode primary, Context<LatticeNode> context) {
    boolean matches =
        ownerUids(actual).equals(ownerUids(desired))
            && Objects.equals(actual.getMetadata().getLabels(), desired.getMetadata().getLabels())
            && sameContent(actual, desired);
    return Matcher.Result.computed(matches, desired);
  }

  /**
   * JOSDK's client-side update keeps the actual object's metadata; the owner list is the point of
   * this object, so it is carried over from the desired one.
   */
  @Override
  public R update(R actual, R desired, LatticeNode primary, Context<LatticeNode> context) {
    R merged = GenericResourceUpdater.updateResource(actual, desired, context);
    merged.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
    return context.getClient().resource(merged).update();
  }

  /** Owner references are set by {@link #build}; nothing is added per primary. */
  @Override
  protected void addReferenceHandlingMetadata(R desired, LatticeNode primary) {}

  /** A change to the shared object wakes every member that owns it. */
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(R resource) {
    String namespace = resource.getMetadata().getNamespace();
    return ownerReferences(resource).stream()
        .filter(ref -> LatticeNode.class.getSimpleName().equals(ref.getKind()))
        .map(ref -> new ResourceID(ref.getName(), namespace))
        .collect(Collectors.toSet());
  }

  private static Set<String> ownerUids(HasMetadata resource) {
    return ownerReferences(resource).stream()
        .map(OwnerReference::getUid)
        .collect(Collectors.toSet());
  }

  private static List<OwnerReference> ownerReferences(HasMetadata resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getOwnerReferences(), List.of());
  }
}
