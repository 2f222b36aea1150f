package com.diotec360.lattice.operator.validate;

import com.diotec360.lattice.operator.rbac.Permission;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Answers the validator's questions with direct GETs. Secrets are deliberately not watched: an
 * informer on Secrets would keep every Secret of the namespace in the operator's memory.
 */
public final class KubernetesClusterView implements SpecValidator.ClusterView {

  /** The calls below: one GET per Service or Secret. */
  public static final List<Permission> PERMISSIONS =
      List.of(new Permission("", "services", "get"), new Permission("", "secrets", "get"));

  private final KubernetesClient client;

  public KubernetesClusterView(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(client.services().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }
}
