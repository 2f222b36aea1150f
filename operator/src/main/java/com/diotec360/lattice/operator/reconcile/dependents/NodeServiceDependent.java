package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import com.diotec360.lattice.operator.reconcile.ResourceNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
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
    return build(node, NodePlan.of(context));
  }

  /**
   * JOSDK's client-side matching ignores annotations the live object has beyond the desired ones,
   * and its update only adds annotations; a hostname removed from the spec must stop being
   * published, so the ExternalDNS annotations are compared and replaced exactly.
   */
  @Override
  public Matcher.Result<Service> match(
      Service actual, Service desired, LatticeNode primary, Context<LatticeNode> context) {
    boolean sameDns = externalDns(actual).equals(externalDns(desired));
    return sameDns ? super.match(actual, desired, primary, context) : Matcher.Result.computed(false, desired);
  }

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

  private static Map<String, String> externalDns(Service service) {
    Map<String, String> annotations =
        Objects.requireNonNullElse(service.getMetadata().getAnnotations(), Map.of());
    Map<String, String> dns = new LinkedHashMap<>();
    for (String key : List.of(EXTERNAL_DNS_HOSTNAME, EXTERNAL_DNS_TTL)) {
      if (annotations.containsKey(key)) {
        dns.put(key, annotations.get(key));
      }
    }
    return dns;
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
