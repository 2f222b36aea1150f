package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.plan.LatticePlan;
import com.diotec360.lattice.operator.reconcile.dependents.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericResourceUpdater;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An object a lattice shares (its Secret, peers Service, disruption budget, peer list), owned by
 * its Lattice alone: one controller owner, one writer, no races between members.
 *
 * <p>Found by name and mapped to its Lattice by the lattice label, not by owner, so the objects an
 * earlier release made (owned by every member, no Lattice) are adopted: the first update replaces
 * their owners with the Lattice.
 */
public abstract class LatticeOwnedDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, Lattice> implements SecondaryToPrimaryMapper<R> {

  protected LatticeOwnedDependent(Class<R> type) {
    super(type);
  }

  /** The object's name for a lattice. */
  protected abstract String name(String lattice);

  /** The desired object; the live one, if any, is given to keep what must survive (a token). */
  protected abstract R build(LatticePlan plan, Optional<R> live);

  /** Compares the content apart from metadata. */
  protected abstract boolean sameContent(R actual, R desired);

  @Override
  protected R desired(Lattice lattice, Context<Lattice> context) {
    R desired = build(LatticePlan.of(context), getSecondaryResource(lattice, context));
    desired.getMetadata().setOwnerReferences(List.of(Ownership.controlledBy(lattice)));
    return desired;
  }

  @Override
  public Optional<R> getSecondaryResource(Lattice lattice, Context<Lattice> context) {
    return eventSource().flatMap(es -> es.get(
        new ResourceID(name(lattice.getMetadata().getName()), lattice.getMetadata().getNamespace())));
  }

  @Override
  public Matcher.Result<R> match(R actual, R desired, Lattice lattice, Context<Lattice> context) {
    boolean matches =
        Objects.equals(owners(actual), owners(desired))
            && Objects.equals(actual.getMetadata().getLabels(), desired.getMetadata().getLabels())
            && sameContent(actual, desired);
    return Matcher.Result.computed(matches, desired);
  }

  /** JOSDK's client-side update keeps the live metadata; the owner is carried over too. */
  @Override
  public R update(R actual, R desired, Lattice lattice, Context<Lattice> context) {
    R merged = GenericResourceUpdater.updateResource(actual, desired, context);
    merged.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
    merged.getMetadata().setLabels(desired.getMetadata().getLabels());
    return context.getClient().resource(merged).update();
  }

  /** The owner is set by {@link #desired}: exactly one, the Lattice. */
  @Override
  protected void addReferenceHandlingMetadata(R desired, Lattice lattice) {}

  /** A change to the object wakes the Lattice its lattice label names. */
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(R resource) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    String lattice = labels == null ? null : labels.get(LatticeLabels.LATTICE);
    return lattice == null
        ? Set.of()
        : Set.of(new ResourceID(lattice, resource.getMetadata().getNamespace()));
  }

  private static List<String> owners(HasMetadata resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getOwnerReferences(), List.<OwnerReference>of())
        .stream()
        .map(o -> o.getKind() + "/" + o.getName() + "/" + o.getUid() + "/" + o.getController())
        .toList();
  }
}
