package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.AliasType;
import com.diotec360.lattice.operator.api.v1alpha1.DnsAlias;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import com.diotec360.lattice.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The addresses of each A-style alias: an EndpointSlice bound to the alias's selector-less
 * Service by the {@code kubernetes.io/service-name} label, so cluster DNS answers the alias with
 * these IPv4 addresses.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_DNS_ALIASES))
public class AliasEndpointSlicesDependent
    extends CRUDKubernetesDependentResource<EndpointSlice, LatticeNode>
    implements BulkDependentResource<EndpointSlice, LatticeNode, ResourceID> {

  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "lattice-operator." + LatticeNode.GROUP;

  public AliasEndpointSlicesDependent() {
    super(EndpointSlice.class);
  }

  @Override
  public Map<ResourceID, EndpointSlice> desiredResources(
      LatticeNode node, Context<LatticeNode> context) {
    Map<ResourceID, EndpointSlice> desired = build(node, NodePlan.of(context));
    desired.values().forEach(DesiredState::stamped);
    return desired;
  }

  /** Tolerates what the API server adds; see {@link DesiredState}. */
  @Override
  public Matcher.Result<EndpointSlice> match(
      EndpointSlice actual, EndpointSlice desired, LatticeNode primary, Context<LatticeNode> context) {
    if (useSSA(context)) {
      return super.match(actual, desired, primary, context); // the SSA experiment (LatticeOperator)
    }
    return Matcher.Result.computed(DesiredState.matches(actual, desired), desired);
  }

  public static Map<ResourceID, EndpointSlice> build(LatticeNode node, NodePlan plan) {
    Map<ResourceID, EndpointSlice> slices = new LinkedHashMap<>();
    for (DnsAlias alias : plan.aliasesOfType(AliasType.A)) {
      EndpointSliceBuilder builder =
          new EndpointSliceBuilder()
              .withNewMetadata()
              .withName(ResourceNames.aliasEndpointSlice(alias.getName()))
              .withNamespace(plan.namespace())
              .withLabels(LatticeLabels.forNode(node, LatticeLabels.COMPONENT_DNS_ALIAS))
              .addToLabels(SERVICE_NAME_LABEL, alias.getName())
              .addToLabels(MANAGED_BY_LABEL, MANAGED_BY_VALUE)
              .withOwnerReferences(Ownership.controlledBy(node))
              .endMetadata()
              .withAddressType("IPv4")
              .addNewPort()
              .withName("http")
              .withPort(ResourceNames.HTTP_PORT)
              .withProtocol("TCP")
              .endPort();
      for (String address : alias.getAddresses()) {
        builder
            .addNewEndpoint()
            .withAddresses(address)
            .withNewConditions()
            .withReady(true)
            .endConditions()
            .endEndpoint();
      }
      EndpointSlice slice = builder.build();
      slices.put(ResourceID.fromResource(slice), slice);
    }
    return slices;
  }

  @Override
  public Map<ResourceID, EndpointSlice> getSecondaryResources(
      LatticeNode node, Context<LatticeNode> context) {
    return eventSource().orElseThrow().getSecondaryResources(node).stream()
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
  }
}
