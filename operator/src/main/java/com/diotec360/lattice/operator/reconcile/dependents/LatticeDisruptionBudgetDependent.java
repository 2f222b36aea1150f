package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.judge.Quorum;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One PodDisruptionBudget per lattice, {@code <lattice>-lattice-budget}, over every member's pod.
 * It lets a node drain evict one member at a time and never one that would leave fewer than {@link
 * Quorum#keep} members running: {@code minAvailable = max(keep(n), running - 1)} where n counts
 * every member and running those not suspended. Never a budget per node: with one-replica
 * Deployments a per-node {@code minAvailable: 1} blocks every drain forever.
 *
 * <p>A pod that is not Ready may always be evicted ({@code unhealthyPodEvictionPolicy:
 * AlwaysAllow}): a crash-looping member must not hold a drain hostage. Shared like the peer
 * Service: every member is a non-controller owner, and it goes with the last member.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_LATTICE_BUDGETS))
public class LatticeDisruptionBudgetDependent
    extends LatticeSharedDependent<PodDisruptionBudget> {

  public LatticeDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected String sharedName(String lattice) {
    return ResourceNames.disruptionBudget(lattice);
  }

  @Override
  protected PodDisruptionBudget build(NodePlan plan, Optional<PodDisruptionBudget> current) {
    return build(plan);
  }

  public static PodDisruptionBudget build(NodePlan plan) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(ResourceNames.disruptionBudget(plan.lattice()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forLattice(plan.lattice(), LatticeLabels.COMPONENT_LATTICE_BUDGET))
        .withOwnerReferences(Ownership.sharedBy(plan.members()))
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(new IntOrString(minAvailable(plan.members())))
        .withNewSelector()
        .withMatchLabels(LatticeLabels.selectLatticePods(plan.lattice()))
        .endSelector()
        .withUnhealthyPodEvictionPolicy("AlwaysAllow")
        .endSpec()
        .build();
  }

  /**
   * How many member pods must stay available: at least {@link Quorum#keep} of all members, and all
   * running members but one (one voluntary disruption at a time).
   */
  public static int minAvailable(List<LatticeNode> members) {
    int total = members.size();
    long running = members.stream().filter(m -> !m.getSpec().suspended()).count();
    return (int) Math.max(Quorum.keep(total), running - 1);
  }

  @Override
  protected boolean sameContent(PodDisruptionBudget actual, PodDisruptionBudget desired) {
    return Objects.equals(actual.getSpec().getMinAvailable(), desired.getSpec().getMinAvailable())
        && actual.getSpec().getMaxUnavailable() == null
        && Objects.equals(actual.getSpec().getSelector(), desired.getSpec().getSelector())
        && Objects.equals(
            actual.getSpec().getUnhealthyPodEvictionPolicy(),
            desired.getSpec().getUnhealthyPodEvictionPolicy());
  }
}
