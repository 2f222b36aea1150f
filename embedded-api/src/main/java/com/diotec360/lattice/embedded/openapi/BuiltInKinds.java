package com.diotec360.lattice.embedded.openapi;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The built-in kinds this server describes, by group/version and kind, with their fabric8 model class. */
public final class BuiltInKinds {

  private static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/Namespace", Namespace.class),
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
      Map.entry("v1/Event", Event.class),
      Map.entry("v1/Pod", Pod.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("discovery.k8s.io/v1/EndpointSlice", EndpointSlice.class),
      Map.entry("coordination.k8s.io/v1/Lease", Lease.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
      Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class));

  private static final Map<String, KindSchema> SCHEMAS = new ConcurrentHashMap<>();

  private BuiltInKinds() {}

  /** The schema of a built-in kind ({@code groupVersion} as in apiVersion: "v1", "apps/v1"), if described here. */
  public static Optional<KindSchema> schema(String groupVersion, String kind) {
    String key = groupVersion + "/" + kind;
    Class<?> model = MODELS.get(key);
    if (model == null) {
      return Optional.empty();
    }
    return Optional.of(SCHEMAS.computeIfAbsent(key, k -> {
      int slash = groupVersion.indexOf('/');
      String group = slash < 0 ? "" : groupVersion.substring(0, slash);
      String version = groupVersion.substring(slash + 1);
      return KindSchema.builtIn(group, version, kind, model);
    }));
  }
}
