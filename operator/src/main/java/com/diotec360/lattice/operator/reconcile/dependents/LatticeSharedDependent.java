package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.rbac.Permission;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericResourceUpdater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.ArrayList;
import java.util.Comparator;
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

  private static final int HTTP_CONFLICT = 409;

  /**
   * The explicit reads a shared object's dependent makes beyond its informer: a lost race re-reads
   * the live object ({@code get}), and an owner is dropped only after reading its LatticeNode.
   */
  public static final List<Permission> PERMISSIONS =
      List.of(
          new Permission("", "services", "get"),
          new Permission("", "secrets", "get"),
          new Permission("policy", "poddisruptionbudgets", "get"),
          new Permission(LatticeNode.GROUP, "latticenodes", "get"));

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
    Optional<R> live = getSecondaryResource(node, context);
    return withOwnersThatStillExist(build(NodePlan.of(context), live), live, context);
  }

  /**
   * Members reconcile with their own view of the lattice, and a view can lag: a member created a
   * moment ago may be missing from it. Dropping that member's owner reference would make the
   * members take turns rewriting the owner list. So an owner the view lacks is dropped only when
   * the API server says its LatticeNode is gone (one read, only in that case).
   */
  private R withOwnersThatStillExist(R desired, Optional<R> live, Context<LatticeNode> context) {
    if (live.isEmpty()) {
      return desired;
    }
    Set<String> wanted = ownerUids(desired);
    List<OwnerReference> owners = new ArrayList<>(ownerReferences(desired));
    for (OwnerReference owner : ownerReferences(live.get())) {
      if (wanted.contains(owner.getUid())
          || !LatticeNode.class.getSimpleName().equals(owner.getKind())) {
        continue;
      }
      LatticeNode member =
          context.getClient().resources(LatticeNode.class)
              .inNamespace(desired.getMetadata().getNamespace())
              .withName(owner.getName())
              .get();
      if (member != null && owner.getUid().equals(member.getMetadata().getUid())) {
        owners.add(owner);
      }
    }
    owners.sort(Comparator.comparing(OwnerReference::getName));
    desired.getMetadata().setOwnerReferences(owners);
    return desired;
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
    if (useSSA(context)) { // the SSA experiment (SsaExperiment)
      return super.match(actual, SsaExperiment.annotated(desired), primary, context);
    }
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
  /**
   * Members of one lattice reconcile in parallel and race for the shared object. Losing that race
   * (409: created or changed meanwhile) is expected: re-read the live object, rebuild the desired
   * one from it (the secret keeps its token) and write once more.
   */
  @Override
  public R create(R desired, LatticeNode primary, Context<LatticeNode> context) {
    try {
      return super.create(useSSA(context) ? SsaExperiment.annotated(desired) : desired, primary, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HTTP_CONFLICT) {
        throw e;
      }
      return rewriteOnLive(desired, context);
    }
  }

  /**
   * JOSDK's client-side update keeps the live object's metadata; the owner list is the point of
   * this object, so it is carried over from the desired one.
   */
  @Override
  public R update(R actual, R desired, LatticeNode primary, Context<LatticeNode> context) {
    try {
      return replace(actual, desired, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HTTP_CONFLICT) {
        throw e;
      }
      return rewriteOnLive(desired, context);
    }
  }

  /** Attempts at writing a shared object that other members keep changing meanwhile. */
  private static final int SHARED_WRITE_ATTEMPTS = 5;

  private R rewriteOnLive(R desired, Context<LatticeNode> context) {
    KubernetesClientException lost = null;
    for (int attempt = 0; attempt < SHARED_WRITE_ATTEMPTS; attempt++) {
      R live = context.getClient().resource(desired).get();
      try {
        if (live == null) {
          return context.getClient().resource(desired).create();
        }
        R rebuilt =
            withOwnersThatStillExist(
                build(NodePlan.of(context), Optional.of(live)), Optional.of(live), context);
        if (match(live, rebuilt, null, context).matched()) {
          return live; // another member already wrote what this one wants
        }
        return replace(live, rebuilt, context);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HTTP_CONFLICT) {
          throw e;
        }
        lost = e;
      }
    }
    throw lost;
  }

  private R replace(R live, R desired, Context<LatticeNode> context) {
    if (useSSA(context)) { // the SSA experiment (SsaExperiment): no resourceVersion, so no 409
      return SsaExperiment.apply(desired, context);
    }
    R merged = GenericResourceUpdater.updateResource(live, desired, context);
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
