package com.diotec360.lattice.operator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.judge.Connectivity;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A lattice's decision wakes only the members whose share of it changed. */
class LatticeDecisionsTest {

  private static final Instant T1 = Instant.parse("2026-12-01T00:00:00Z");
  private final LatticeJudge judge = new LatticeJudge(Duration.ofSeconds(30));
  private final List<ResourceID> woken = new ArrayList<>();
  private final LatticeDecisions decisions = new LatticeDecisions();

  @Test
  void theFirstDecisionWakesEveryMemberThenOnlyChangesDo() {
    decisions.onWake(woken::add);
    decisions.publish("ns", "lat", decision("a".repeat(64), "a".repeat(64), "a".repeat(64)));
    assertThat(woken).extracting(ResourceID::getName).containsExactlyInAnyOrder("m0", "m1", "m2");

    woken.clear();
    decisions.publish("ns", "lat", decision("b".repeat(64), "b".repeat(64), "b".repeat(64)));
    assertThat(woken).as("every member still Consistent: the root moved, no share changed").isEmpty();

    decisions.publish("ns", "lat", decision("b".repeat(64), "b".repeat(64), "c".repeat(64)));
    assertThat(woken).extracting(ResourceID::getName).containsExactly("m2");
    assertThat(decisions.of("ns", "lat")).isPresent();
    decisions.forget("ns", "lat");
    assertThat(decisions.size()).isZero();
  }

  private LatticeDecision decision(String... roots) {
    List<MemberView> views = new ArrayList<>();
    for (int i = 0; i < roots.length; i++) {
      views.add(MemberView.eligible("m" + i, roots[i], 1));
    }
    Lattice lattice = new Lattice();
    lattice.setMetadata(new ObjectMetaBuilder().withName("lat").withNamespace("ns").build());
    return new LatticeDecision(judge.judge(views, null, T1), new Connectivity(Map.of()),
        RolloutGate.plan(List.of(), Set.of(), false), Optional.empty(), List.of(),
        LatticeSettings.of(lattice, List.of(), Duration.ofMinutes(10)));
  }
}
