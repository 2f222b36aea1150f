package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import com.diotec360.lattice.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's own Service, named after the node: its DNS name is the node's stable address. Public
 * hostnames become ExternalDNS annotations on it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
public class NodeServiceDependent extends CRUDKubernetesDependentResource<Service, LatticeNode> {

  public static final String EXTERNAL_DNS_HOSTNAME = "external-dns.alpha.kubernetes.io/hostname";
  public static final String EXTERNAL_DNS_TTL = "external-dns.alpha.kubernetes.io/ttl";

  public NodeServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(LatticeNode node, Context<LatticeNode> context) {
    return DesiredState.stamped(build(node, NodePlan.of(context)));
  }

  /**
   * Tolerates what the API server adds (see {@link DesiredState}); a hostname removed from the
   * spec changes the desired hash, so its ExternalDNS annotations are dropped by {@link #update}.
   */
  @Override
  public Matcher.Result<Service> match(
      Service actual, Service desired, LatticeNode primary, Context<LatticeNode> context) {
    if (useSSA(context)) {
      return super.match(actual, desired, primary, context); // the SSA experiment (LatticeOperator)
    }
    return Matcher.Result.computed(DesiredState.matches(actual, desired), desired);
  }

  /** JOSDK's update only adds annotations; the ExternalDNS ones are replaced exactly. */
  @Override
  public Service update(
      Service actual, Service desired, LatticeNode primary, Context<LatticeNode> context) {
    Service withoutDns = new ServiceBuilder(actual).build();
    if (withoutDns.getMetadata().getAnnotations() != null) {
      withoutDns.getMetadata().getAnnotations().remove(EXTERNAL_DNS_HOSTNAME);
      withoutDns.getMetadata().getAnnotations().remove(EXTERNAL_DNS_TTL);
    }
    return super.update(withoutDns, desired, primary, context);
  }

  public static Service build(LatticeNode node, NodePlan plan) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (!plan.hostnames().isEmpty()) {
      annotations.put(EXTERNAL_DNS_HOSTNAME, String.join(",", plan.hostnames()));
      annotations.put(EXTERNAL_DNS_TTL, Integer.toString(plan.hostnameTtlSeconds()));
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ResourceNames.node(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forNode(node, LatticeLabels.COMPONENT_NODE))
        .withAnnotations(annotations)
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(LatticeLabels.selectNode(node))
        .addNewPort()
        .withName("http")
        .withPort(ResourceNames.HTTP_PORT)
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("p2p")
        .withPort(plan.p2pPort())
        .withTargetPort(new IntOrString("p2p"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
