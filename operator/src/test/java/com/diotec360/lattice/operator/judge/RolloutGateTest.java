package com.diotec360.lattice.operator.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.judge.RolloutGate.Member;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutGateTest {

  private static Member waiting(String name) {
    return new Member(name, true, false, true, false, "Consistent");
  }

  private static Member idle(String name) {
    return new Member(name, false, false, true, false, "Consistent");
  }

  private static RolloutGate.Plan plan(List<Member> members) {
    return RolloutGate.plan(members, Set.of(), false);
  }

  @ParameterizedTest(name = "{0} members keep {1}")
  @CsvSource({"1,0", "2,1", "3,2", "4,3", "5,3", "7,4"})
  void aLatticeKeepsAStrictMajorityOrAllButOne(int members, int keep) {
    assertThat(Quorum.keep(members)).isEqualTo(keep);
  }

  @Test
  void oneMemberAtATimeInNameOrder() {
    RolloutGate.Plan plan = plan(List.of(waiting("a"), waiting("b"), waiting("c")));

    assertThat(plan.restarting()).containsExactly("a");
    assertThat(plan.decisions().get("b").waitingFor()).isEqualTo("waiting for a, which restarts first");
    assertThat(plan.decisions().get("c").proceed()).isFalse();
  }

  @Test
  void theNextWaitsUntilTheRestartedMemberIsConsistentAgain() {
    List<Member> restarting =
        List.of(new Member("a", false, true, false, false, "Unobserved"), waiting("b"), waiting("c"));
    RolloutGate.Plan held = RolloutGate.plan(restarting, Set.of("a"), false);
    assertThat(held.restarting()).containsExactly("a");
    assertThat(held.decisions().get("b").waitingFor())
        .isEqualTo("waiting for a to become Ready and Consistent after its restart");

    List<Member> settled = List.of(idle("a"), waiting("b"), waiting("c"));
    RolloutGate.Plan next = RolloutGate.plan(settled, Set.of("a"), false);
    assertThat(next.restarting()).as("a's turn ends once it is back").containsExactly("b");
  }

  @Test
  void membersThatAreNotConsistentGoFirst() {
    RolloutGate.Plan plan =
        plan(List.of(waiting("a"), new Member("b", true, false, false, false, "Diverged"), waiting("c")));

    assertThat(plan.restarting()).containsExactly("b");
    assertThat(plan.decisions().get("a").waitingFor()).isEqualTo("waiting for b, which restarts first");
  }

  @Test
  void aConsistentMemberNeverRestartsWhenTooFewWouldStayConsistent() {
    RolloutGate.Plan plan =
        plan(List.of(waiting("a"), waiting("b"), new Member("c", false, false, false, false, "Diverged")));

    RolloutGate.Decision decision = plan.decisions().get("a");
    assertThat(plan.restarting()).isEmpty();
    assertThat(decision.blocking()).isTrue();
    assertThat(decision.waitingFor())
        .isEqualTo("restarting a now would leave 1 of 3 members Consistent and the lattice keeps"
            + " at least 2 (c is Diverged)");
  }

  @Test
  void aTwoMemberLatticeRollsWhileTheOtherIsConsistent() {
    assertThat(plan(List.of(waiting("a"), idle("b"))).restarting()).containsExactly("a");
    List<Member> otherDown =
        List.of(waiting("a"), new Member("b", false, false, false, false, "Unobserved"));
    assertThat(plan(otherDown).restarting()).isEmpty();
  }

  @Test
  void aTurnGivenBeforeIsKeptSoTwoViewsCannotBothGo() {
    // b went first while it was Behind; a moment later b is Consistent on a view where a would
    // be first. The turn the lattice's status kept for b holds a back.
    RolloutGate.Plan first =
        plan(List.of(waiting("a"), new Member("b", true, false, false, false, "Behind")));
    assertThat(first.restarting()).containsExactly("b");

    RolloutGate.Plan later = RolloutGate.plan(List.of(waiting("a"), waiting("b")), Set.copyOf(first.restarting()), false);
    assertThat(later.restarting()).containsExactly("b");
    assertThat(later.decisions().get("a").waitingFor()).isEqualTo("waiting for b, which restarts first");
  }

  @Test
  void aTurnEndsWhenTheMemberNeitherWaitsNorRestarts() {
    RolloutGate.Plan plan = RolloutGate.plan(List.of(idle("a"), idle("b")), Set.of("a", "gone"), false);
    assertThat(plan.restarting()).isEmpty();
  }

  @Test
  void aPausedRolloutLetsNobodyNewGo() {
    RolloutGate.Plan plan =
        RolloutGate.plan(List.of(waiting("a"), new Member("b", true, true, false, false, "Unobserved")), Set.of("b"), true);
    assertThat(plan.restarting()).as("b keeps the turn it had").containsExactly("b");
    assertThat(plan.decisions().get("a").waitingFor()).isEqualTo("the lattice's rollout is paused (spec.rollout.paused)");
  }

  @Test
  void aLatticeWhoseMembersAllFailTakesTheFixEverywhereAtOnce() {
    // Three members that never came up (a bad image): none is Consistent, all restarting.
    List<Member> broken =
        List.of(
            new Member("a", true, true, false, false, "Unobserved"),
            new Member("b", true, true, false, false, "Unobserved"),
            new Member("c", true, true, false, false, "Unobserved"));

    assertThat(plan(broken).restarting()).containsExactly("a", "b", "c");
  }
}
