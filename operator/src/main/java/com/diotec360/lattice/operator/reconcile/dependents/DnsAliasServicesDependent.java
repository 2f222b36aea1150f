package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.AliasType;
import com.diotec360.lattice.operator.api.v1alpha1.DnsAlias;
import com.diotec360.lattice.operator.api.v1alpha1.DnsSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import com.diotec360.lattice.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One Service per DNS alias, named after the alias so it resolves as
 * {@code <alias>.<namespace>.svc}: a CNAME alias is a Service of type ExternalName; an A alias is
 * a headless Service without selector whose addresses come from {@link AliasEndpointSlicesDependent}.
 * Aliases removed from the spec are deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_DNS_ALIASES))
public class DnsAliasServicesDependent
    extends CRUDKubernetesDependentResource<Service, LatticeNode>
    implements BulkDependentResource<Service, LatticeNode, ResourceID> {

  public DnsAliasServicesDependent() {
    super(Service.class);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(
      LatticeNode node, Context<LatticeNode> context) {
    Map<ResourceID, Service> desired = build(node, NodePlan.of(context));
    desired.values().forEach(DesiredState::stamped);
    return desired;
  }

  /** Tolerates what the API server adds; see {@link DesiredState}. */
  @Override
  public Matcher.Result<Service> match(
      Service actual, Service desired, LatticeNode primary, Context<LatticeNode> context) {
    if (useSSA(context)) {
      return super.match(actual, desired, primary, context); // the SSA experiment (LatticeOperator)
    }
    return Matcher.Result.computed(DesiredState.matches(actual, desired), desired);
  }

  public static Map<ResourceID, Service> build(LatticeNode node, NodePlan plan) {
    Map<ResourceID, Service> services = new LinkedHashMap<>();
    for (DnsAlias alias : plan.aliases()) {
      Service service = service(node, plan, alias);
      services.put(ResourceID.fromResource(service), service);
    }
    return services;
  }

  @Override
  public Map<ResourceID, Service> getSecondaryResources(
      LatticeNode node, Context<LatticeNode> context) {
    return eventSource().orElseThrow().getSecondaryResources(node).stream()
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }

  private static Service service(LatticeNode node, NodePlan plan, DnsAlias alias) {
    int ttl = Objects.requireNonNullElse(alias.getTtlSeconds(), DnsSpec.DEFAULT_TTL_SECONDS);
    ServiceBuilder builder =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(alias.getName())
            .withNamespace(plan.namespace())
            .withLabels(LatticeLabels.forNode(node, LatticeLabels.COMPONENT_DNS_ALIAS))
            .addToAnnotations(NodeServiceDependent.EXTERNAL_DNS_TTL, Integer.toString(ttl))
            .withOwnerReferences(Ownership.controlledBy(node))
            .endMetadata();
    if (alias.getType() == AliasType.CNAME) {
      return builder
          .withNewSpec()
          .withType("ExternalName")
          .withExternalName(alias.getTarget())
          .endSpec()
          .build();
    }
    return builder
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP("None")
        .addNewPort()
        .withName("http")
        .withPort(ResourceNames.HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
