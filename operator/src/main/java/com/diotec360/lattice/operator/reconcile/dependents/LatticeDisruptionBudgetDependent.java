package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.judge.Quorum;
import com.diotec360.lattice.operator.plan.LatticePlan;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One PodDisruptionBudget per lattice, {@code <lattice>-lattice-budget}, over every member's pod.
 * It lets a node drain evict {@code maxUnavailable} members at a time (default one) and never one
 * that would leave fewer than {@link Quorum#keep} members running: {@code minAvailable =
 * max(keep(n), running - maxUnavailable)} where n counts every member and running those not
 * suspended. Never a budget per node: with one-replica Deployments a per-node {@code minAvailable:
 * 1} blocks every drain forever.
 *
 * <p>A pod that is not Ready may always be evicted ({@code unhealthyPodEvictionPolicy:
 * AlwaysAllow}): a crash-looping member must not hold a drain hostage. {@code
 * spec.disruptionBudget.enabled: false} on the Lattice removes it ({@link Enabled}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_LATTICE_BUDGETS))
@Writes("the lattice PodDisruptionBudget")
public class LatticeDisruptionBudgetDependent extends LatticeOwnedDependent<PodDisruptionBudget> {

  public LatticeDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected String name(String lattice) {
    return ResourceNames.disruptionBudget(lattice);
  }

  @Override
  protected PodDisruptionBudget build(LatticePlan plan, Optional<PodDisruptionBudget> live) {
    return build(plan);
  }

  public static PodDisruptionBudget build(LatticePlan plan) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(ResourceNames.disruptionBudget(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forLattice(plan.name(), LatticeLabels.COMPONENT_LATTICE_BUDGET))
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(new IntOrString(minAvailable(plan.members(), plan.settings().maxUnavailable())))
        .withNewSelector()
        .withMatchLabels(LatticeLabels.selectLatticePods(plan.name()))
        .endSelector()
        .withUnhealthyPodEvictionPolicy("AlwaysAllow")
        .endSpec()
        .build();
  }

  /**
   * How many member pods must stay available: at least {@link Quorum#keep} of all members, and all
   * running members but {@code maxUnavailable}.
   */
  public static int minAvailable(List<LatticeNode> members, int maxUnavailable) {
    int total = members.size();
    long running = members.stream().filter(m -> !m.getSpec().suspended()).count();
    return (int) Math.max(Quorum.keep(total), running - maxUnavailable);
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

  /** The budget exists while the Lattice's disruptionBudget.enabled is not false. */
  public static final class Enabled implements Condition<PodDisruptionBudget, Lattice> {
    @Override
    public boolean isMet(
        io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource<PodDisruptionBudget, Lattice> dependent,
        Lattice lattice,
        Context<Lattice> context) {
      return LatticePlan.of(context).settings().budgetEnabled();
    }
  }
}
