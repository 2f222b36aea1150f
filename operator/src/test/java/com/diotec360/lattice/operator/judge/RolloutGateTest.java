package com.diotec360.lattice.operator.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.judge.RolloutGate.Member;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutGateTest {

  private final RolloutGate gate = new RolloutGate();

  private static Member waiting(String name) {
    return new Member(name, true, false, true, false, "Consistent");
  }

  private static Member idle(String name) {
    return new Member(name, false, false, true, false, "Consistent");
  }

  @ParameterizedTest(name = "{0} members keep {1}")
  @CsvSource({"1,0", "2,1", "3,2", "4,3", "5,3", "7,4"})
  void aLatticeKeepsAStrictMajorityOrAllButOne(int members, int keep) {
    assertThat(Quorum.keep(members)).isEqualTo(keep);
  }

  @Test
  void oneMemberAtATimeInNameOrder() {
    List<Member> all = List.of(waiting("a"), waiting("b"), waiting("c"));

    assertThat(gate.decide("ns/l", "b", all).proceed()).isFalse();
    assertThat(gate.decide("ns/l", "b", all).waitingFor()).isEqualTo("waiting for a to restart first");
    assertThat(gate.decide("ns/l", "a", all).proceed()).isTrue();
  }

  @Test
  void theNextWaitsUntilTheRestartedMemberIsConsistentAgain() {
    List<Member> restarting =
        List.of(new Member("a", false, true, false, false, "Unobserved"), waiting("b"), waiting("c"));
    RolloutGate.Decision held = gate.decide("ns/l", "b", restarting);
    assertThat(held.proceed()).isFalse();
    assertThat(held.waitingFor())
        .isEqualTo("waiting for a to become Ready and Consistent after its restart");

    List<Member> settled = List.of(idle("a"), waiting("b"), waiting("c"));
    assertThat(gate.decide("ns/l", "b", settled).proceed()).isTrue();
  }

  @Test
  void membersThatAreNotConsistentGoFirst() {
    List<Member> all =
        List.of(waiting("a"), new Member("b", true, false, false, false, "Diverged"), waiting("c"));

    assertThat(gate.decide("ns/l", "a", all).waitingFor()).isEqualTo("waiting for b to restart first");
    assertThat(gate.decide("ns/l", "b", all).proceed()).isTrue();
  }

  @Test
  void aConsistentMemberNeverRestartsWhenTooFewWouldStayConsistent() {
    List<Member> all =
        List.of(waiting("a"), waiting("b"), new Member("c", false, false, false, false, "Diverged"));

    RolloutGate.Decision decision = gate.decide("ns/l", "a", all);

    assertThat(decision.proceed()).isFalse();
    assertThat(decision.blocking()).isTrue();
    assertThat(decision.waitingFor())
        .isEqualTo("restarting a now would leave 1 of 3 members Consistent and the lattice keeps"
            + " at least 2 (c is Diverged)");
  }

  @Test
  void aTwoMemberLatticeRollsWhileTheOtherIsConsistent() {
    assertThat(gate.decide("ns/two", "a", List.of(waiting("a"), idle("b"))).proceed()).isTrue();
    RolloutGate gate2 = new RolloutGate();
    List<Member> otherDown =
        List.of(waiting("a"), new Member("b", false, false, false, false, "Unobserved"));
    assertThat(gate2.decide("ns/two", "a", otherDown).proceed()).isFalse();
  }

  @Test
  void twoMembersDecidingOnDifferentViewsCannotBothGo() {
    // a sees b as not Consistent (b goes first); b, a moment later, sees itself Consistent and
    // would be second. The member allowed first is remembered until it has gone and come back.
    List<Member> viewOfB =
        List.of(waiting("a"), new Member("b", true, false, false, false, "Behind"));
    assertThat(gate.decide("ns/l", "b", viewOfB).proceed()).isTrue();

    List<Member> laterView = List.of(waiting("a"), waiting("b"));
    RolloutGate.Decision a = gate.decide("ns/l", "a", laterView);
    assertThat(a.proceed()).isFalse();
    assertThat(a.waitingFor()).isEqualTo("waiting for b, which restarts first");
  }

  @Test
  void aLatticeWhoseMembersAllFailTakesTheFixEverywhereAtOnce() {
    // Three members that never came up (a bad image): none is Consistent, all restarting.
    List<Member> broken =
        List.of(
            new Member("a", true, true, false, false, "Unobserved"),
            new Member("b", true, true, false, false, "Unobserved"),
            new Member("c", true, true, false, false, "Unobserved"));

    assertThat(broken).allSatisfy(m -> assertThat(gate.decide("ns/l", m.name(), broken).proceed()).isTrue());
  }
}
