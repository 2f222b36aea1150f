package com.diotec360.lattice.operator.reconcile.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.plan.LatticePlan;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lattice's one disruption budget, for the lattice sizes people run. */
class LatticeDisruptionBudgetTest {

  @ParameterizedTest(name = "{0} members, {1} suspended: minAvailable {2}")
  @CsvSource({
    // a drain evicts one member, the other keeps serving (no budget keeps a majority of 2)
    "2, 0, 1",
    // one at a time, never below 2 of 3
    "3, 0, 2",
    // one at a time (4 of 5 stay), never below the majority of 3
    "5, 0, 4",
    // one of 3 suspended: the 2 running are the majority, none may be evicted
    "3, 1, 2",
    "5, 2, 3",
    // a lone node: nothing to protect, a drain is never blocked
    "1, 0, 0"
  })
  void oneBudgetPerLatticeKeepsTheMajority(int members, int suspended, int minAvailable) {
    List<LatticeNode> nodes = new ArrayList<>();
    IntStream.range(0, members).forEach(i -> nodes.add(Nodes.node("n" + i, "lat")));
    nodes.subList(0, suspended).forEach(n -> n.getSpec().setSuspend(true));

    var lattice = new com.diotec360.lattice.operator.api.v1alpha1.Lattice();
    lattice.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName("lat").withNamespace("lattice").build());
    PodDisruptionBudget budget =
        LatticeDisruptionBudgetDependent.build(new com.diotec360.lattice.operator.plan.LatticePlan(
            lattice, nodes, com.diotec360.lattice.operator.plan.LatticeSettings.of(
                lattice, nodes, java.time.Duration.ofMinutes(10))));

    assertThat(budget.getMetadata().getName()).isEqualTo("lat-lattice-budget");
    assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(minAvailable));
    assertThat(budget.getSpec().getMaxUnavailable()).isNull();
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("lattice.diotec360.com/lattice", "lat", "app.kubernetes.io/component", "node"));
    assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
  }
}
