package com.diotec360.lattice.operator.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Computes the API permissions a reconciler needs from its code, so the chart's RBAC rules can be
 * checked against what the operator really does rather than against a second hand-kept list:
 *
 * <ul>
 *   <li>the primary resource: {@code list}, {@code watch} (the controller's informer), {@code get}
 *       (JOSDK re-reads the primary when a status write conflicts), {@code update} on its
 *       {@code status} (the reconciler replaces the whole status with {@code PUT .../status}, never
 *       a patch), and {@code patch} on the resource itself when the reconciler is a {@link Cleaner}
 *       (finalizers);
 *   <li>each Kubernetes dependent of the {@link Workflow}: {@code list}, {@code watch} (its
 *       informer); {@code create} if a {@link Creator}; {@code update} if an {@link Updater}
 *       ({@code patch} instead of both when server-side apply is on); {@code delete} if a {@link
 *       Deleter} that JOSDK actually asks to delete: a bulk dependent (surplus objects), one behind
 *       a reconcile precondition or activation condition, or a non-garbage-collected one of a
 *       {@link Cleaner};
 *   <li>the explicit calls other classes make, passed in as their {@code PERMISSIONS} constants.
 * </ul>
 */
public final class RequiredPermissions {

  private RequiredPermissions() {}

  /**
   * Everything the reconciler needs, plus the given extra calls.
   *
   * @param serverSideApply whether the operator writes with server-side apply (then every write is
   *     a {@code patch})
   */
  @SafeVarargs
  public static SortedSet<Permission> of(
      Class<? extends Reconciler<?>> reconciler,
      boolean serverSideApply,
      Collection<Permission>... extraCalls) {
    SortedSet<Permission> permissions = new TreeSet<>();
    Class<? extends HasMetadata> primary = primaryType(reconciler);
    String group = group(primary);
    String plural = HasMetadata.getPlural(primary);
    permissions.addAll(Permission.all(group, plural, "get", "list", "watch"));
    permissions.add(new Permission(group, plural + "/status", "update"));
    boolean cleaner = Cleaner.class.isAssignableFrom(reconciler);
    if (cleaner) {
      permissions.add(new Permission(group, plural, "patch"));
    }

    Workflow workflow = reconciler.getAnnotation(Workflow.class);
    if (workflow != null) {
      for (Dependent dependent : workflow.dependents()) {
        permissions.addAll(forDependent(dependent, serverSideApply, cleaner));
      }
    }
    for (Collection<Permission> extra : extraCalls) {
      permissions.addAll(extra);
    }
    return permissions;
  }

  private static SortedSet<Permission> forDependent(
      Dependent dependent, boolean serverSideApply, boolean cleaner) {
    SortedSet<Permission> permissions = new TreeSet<>();
    Class<?> type = dependent.type();
    if (!KubernetesDependentResource.class.isAssignableFrom(type)) {
      return permissions; // external dependents make no Kubernetes calls of their own
    }
    Class<?> resource = resourceType(type);
    String group = group(resource);
    String plural = HasMetadata.getPlural(resource.asSubclass(HasMetadata.class));
    permissions.addAll(Permission.all(group, plural, "list", "watch"));
    if (Creator.class.isAssignableFrom(type)) {
      permissions.add(new Permission(group, plural, serverSideApply ? "patch" : "create"));
    }
    if (Updater.class.isAssignableFrom(type)) {
      permissions.add(new Permission(group, plural, serverSideApply ? "patch" : "update"));
    }
    // Condition.class is the annotation's "no condition" default.
    boolean conditional =
        dependent.reconcilePrecondition() != Condition.class
            || dependent.activationCondition() != Condition.class;
    boolean deletes =
        Deleter.class.isAssignableFrom(type)
            && (BulkDependentResource.class.isAssignableFrom(type)
                || conditional
                || cleaner && !GarbageCollected.class.isAssignableFrom(type));
    if (deletes) {
      permissions.add(new Permission(group, plural, "delete"));
    }
    return permissions;
  }

  /**
   * The kinds a reconciler's workflow owns: one per Kubernetes dependent, in the workflow's order.
   * What a garbage collector must look at for objects the reconciler made.
   */
  public static List<Class<? extends HasMetadata>> ownedKinds(Class<? extends Reconciler<?>> reconciler) {
    List<Class<? extends HasMetadata>> kinds = new java.util.ArrayList<>();
    Workflow workflow = reconciler.getAnnotation(Workflow.class);
    if (workflow != null) {
      for (Dependent dependent : workflow.dependents()) {
        if (KubernetesDependentResource.class.isAssignableFrom(dependent.type())) {
          Class<? extends HasMetadata> kind = resourceType(dependent.type()).asSubclass(HasMetadata.class);
          if (!kinds.contains(kind)) {
            kinds.add(kind);
          }
        }
      }
    }
    return kinds;
  }

  /** The managed resource type, as the dependent itself reports it. */
  private static Class<?> resourceType(Class<?> dependentType) {
    try {
      var instance =
          (KubernetesDependentResource<?, ?>) dependentType.getDeclaredConstructor().newInstance();
      return instance.resourceType();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          dependentType.getName() + " needs a no-argument constructor to be listed for RBAC", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends HasMetadata> primaryType(Class<?> reconciler) {
    for (Type type : reconciler.getGenericInterfaces()) {
      if (type instanceof ParameterizedType p && p.getRawType() == Reconciler.class) {
        return (Class<? extends HasMetadata>) p.getActualTypeArguments()[0];
      }
    }
    throw new IllegalArgumentException(
        reconciler.getName() + " must implement Reconciler<T> directly to be listed for RBAC");
  }

  private static String group(Class<?> type) {
    String group = HasMetadata.getGroup(type.asSubclass(HasMetadata.class));
    return group == null ? "" : group;
  }
}
