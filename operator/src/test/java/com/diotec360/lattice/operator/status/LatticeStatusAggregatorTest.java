package com.diotec360.lattice.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.judge.Connectivity;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Lattice's status: its phase, its conditions, and when a change is worth a write. */
class LatticeStatusAggregatorTest {

  private static final Instant T1 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Duration REFRESH = Duration.ofSeconds(60);
  private static final String R1 = "a".repeat(64);
  private static final String R2 = "b".repeat(64);

  private final LatticeStatusAggregator aggregator = new LatticeStatusAggregator(REFRESH);
  private final LatticeJudge judge = new LatticeJudge(Duration.ofSeconds(30));
  private final Lattice lattice = lattice();
  private final List<LatticeNode> three =
      List.of(Nodes.node("a", "lat"), Nodes.node("b", "lat"), Nodes.node("c", "lat"));

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // what the members hold,                 judged at, phase,     Ready, Quorum
    "'all on one root',              a:R1 b:R1 c:R1, 0,   Healthy,   True,  True",
    "'one behind',                   a:R1 b:R1 c:R2, 0,   Degraded,  False, True",
    "'one unreachable',              a:R1 b:R1 c:-,  0,   Degraded,  False, True",
    "'no majority, within grace',    a:R1 b:R2 c:-,  0,   NoQuorum,  False, False",
    "'no majority, past grace',      a:R1 b:R2 c:-,  60,  Split,     False, False",
    "'nobody answers',               a:- b:- c:-,    0,   NoQuorum,  False, False",
  })
  void thePhaseAndConditionsFollowTheJudgement(
      String situation, String holds, int atSeconds, String phase, String ready, String quorum) {
    Instant now = T1.plusSeconds(atSeconds);
    LatticeJudgement first = judge.judge(views(holds), null, T1);
    LatticeJudgement judgement = atSeconds == 0 ? first : judge.judge(remembering(views(holds), first), null, now);

    LatticeStatus status = aggregator.status(lattice, three, decision(judgement, List.of()), now);

    assertThat(status.getPhase()).as(situation).isEqualTo(phase);
    assertThat(condition(status, LatticeStatusAggregator.READY).getStatus()).isEqualTo(ready);
    assertThat(condition(status, LatticeStatusAggregator.QUORUM).getStatus()).isEqualTo(quorum);
    assertThat(condition(status, LatticeStatusAggregator.DELETING).getStatus()).isEqualTo("False");
    assertThat(status.getMembers()).isEqualTo(3);
    assertThat(status.getQuorum()).isEqualTo(2);
  }

  @Test
  void anInvalidLatticeSaysWhyInReady() {
    LatticeJudgement judgement = judge.judge(views("a:R1 b:R1 c:R1"), null, T1);
    LatticeStatus status = aggregator.status(lattice, three,
        decision(judgement, List.of("spec.externalMembers[0].name 'a' is the name of LatticeNode 'a'")), T1);

    assertThat(status.getPhase()).isEqualTo(LatticeStatus.INVALID);
    assertThat(condition(status, LatticeStatusAggregator.READY))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "InvalidSpec", "spec.externalMembers[0].name 'a' is the name of LatticeNode 'a'");
  }

  @Test
  void aMovingReferenceRootAloneIsWrittenAtMostOncePerRefreshInterval() {
    LatticeStatus stored = aggregator.status(lattice, three, decision(judge.judge(views("a:R1 b:R1 c:R1"), null, T1), List.of()), T1);
    lattice.setStatus(stored);

    LatticeStatus moved = aggregator.status(lattice, three,
        decision(judge.judge(views("a:R2 b:R2 c:R2"), null, T1.plusSeconds(10)), List.of()), T1.plusSeconds(10));
    assertThat(moved.getReferenceRoot()).isEqualTo(R2);
    assertThat(aggregator.worthWriting(stored, moved, T1.plusSeconds(10)))
        .as("only the root moved; every member still agrees").isFalse();
    assertThat(aggregator.refreshAt(stored, moved)).contains(T1.plus(REFRESH));
    assertThat(aggregator.worthWriting(stored, moved, T1.plus(REFRESH))).isTrue();

    LatticeStatus degraded = aggregator.status(lattice, three,
        decision(judge.judge(views("a:R2 b:R2 c:-"), null, T1.plusSeconds(10)), List.of()), T1.plusSeconds(10));
    assertThat(aggregator.worthWriting(stored, degraded, T1.plusSeconds(10)))
        .as("a member that stops answering is written at once").isTrue();
  }

  @Test
  void membersPassingThroughBehindMoveTheLatticeOnlyWithTheRefresh() {
    LatticeStatus healthy = at("a:R1 b:R1 c:R1", null, T1);
    lattice.setStatus(aggregator.refreshed(null, healthy, T1));
    LatticeStatus stored = lattice.getStatus();

    // c has not received the write yet: Degraded by writes in flight alone.
    LatticeStatus passing = at("a:R2 b:R2 c:R1", null, T1.plusSeconds(5));
    assertThat(passing.getPhase()).isEqualTo(LatticeStatus.DEGRADED);
    assertThat(passing.getWritesInFlight()).isTrue();
    assertThat(passing.getAgreeing()).isEqualTo(2);
    assertThat(aggregator.worthWriting(stored, passing, T1.plusSeconds(5)))
        .as("a pass through Behind waits for the refresh").isFalse();
    assertThat(aggregator.refreshAt(stored, passing)).contains(T1.plus(REFRESH));
    assertThat(aggregator.worthWriting(stored, passing, T1.plus(REFRESH))).isTrue();
    LatticeStatus written = aggregator.refreshed(stored, passing, T1.plus(REFRESH));
    assertThat(written.getRefreshedAt()).isEqualTo(T1.plus(REFRESH).toString());

    // From there, c catching up waits for the next refresh too.
    LatticeStatus caughtUp = at("a:R2 b:R2 c:R2", null, T1.plusSeconds(70));
    assertThat(aggregator.worthWriting(written, caughtUp, T1.plusSeconds(70))).isFalse();
    assertThat(aggregator.refreshAt(written, caughtUp)).contains(T1.plus(REFRESH).plus(REFRESH));

    // What a person must see is written at once: a member that stops answering ...
    LatticeStatus lost = at("a:R2 b:R2 c:-", null, T1.plusSeconds(70));
    assertThat(lost.getWritesInFlight()).isNull();
    assertThat(aggregator.worthWriting(written, lost, T1.plusSeconds(70))).isTrue();

    // ... a member past the grace period, and the way back from it.
    LatticeJudgement behind = judge.judge(views("a:R2 b:R2 c:R1"), null, T1.plusSeconds(5));
    LatticeJudgement past = judge.judge(remembering(views("a:R2 b:R2 c:R1"), behind), null, T1.plusSeconds(40));
    LatticeStatus diverged = aggregator.status(lattice, three, decision(past, List.of()), T1.plusSeconds(40));
    assertThat(diverged.getWritesInFlight()).isNull();
    assertThat(aggregator.worthWriting(stored, diverged, T1.plusSeconds(40))).isTrue();
    lattice.setStatus(diverged);
    LatticeStatus catchingUp = at("a:R2 b:R2 c:R1", null, T1.plusSeconds(41));
    assertThat(catchingUp.getWritesInFlight()).as("calm is entered through Healthy only").isNull();
    assertThat(aggregator.worthWriting(diverged, catchingUp, T1.plusSeconds(41))).isTrue();
    lattice.setStatus(catchingUp);
    LatticeStatus healed = at("a:R2 b:R2 c:R2", null, T1.plusSeconds(42));
    assertThat(aggregator.worthWriting(catchingUp, healed, T1.plusSeconds(42)))
        .as("every step of the way back is written at once").isTrue();
  }

  @Test
  void theSameDecisionLaterGivesTheSameStatus() {
    LatticeDecision decision = decision(judge.judge(views("a:R1 b:R1 c:-"), null, T1), List.of());
    LatticeStatus first = aggregator.status(lattice, three, decision, T1);
    lattice.setStatus(first);
    LatticeStatus later = aggregator.status(lattice, three, decision, T1.plusSeconds(3600));

    assertThat(later).isEqualTo(first);
    assertThat(aggregator.worthWriting(first, later, T1.plusSeconds(3600))).isFalse();
  }

  @Test
  void theRolloutShowsWhoRestartsAndWhoWaits() {
    LatticeJudgement judgement = judge.judge(views("a:R1 b:R1 c:R1"), null, T1);
    RolloutGate.Plan plan = RolloutGate.plan(List.of(
        new RolloutGate.Member("a", true, false, true, false, "Consistent"),
        new RolloutGate.Member("b", true, false, true, false, "Consistent"),
        new RolloutGate.Member("c", false, false, true, false, "Consistent")), Set.of(), false);
    LatticeDecision decision = new LatticeDecision(judgement, new Connectivity(Map.of()), plan, Optional.empty(),
        List.of(), LatticeSettings.of(lattice, three, Duration.ofMinutes(10)));

    LatticeStatus status = aggregator.status(lattice, three, decision, T1);

    assertThat(status.getRollout().getRestarting()).containsExactly("a");
    assertThat(status.getRollout().getWaiting()).singleElement().satisfies(w -> {
      assertThat(w.getName()).isEqualTo("b");
      assertThat(w.getReason()).isEqualTo("waiting for a, which restarts first");
    });
  }

  @Test
  void aDeletedLatticeWithMembersNamesThem() {
    LatticeStatus status = aggregator.deleting(lattice, three, T1);
    assertThat(condition(status, LatticeStatusAggregator.DELETING))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "MembersRemain");
    assertThat(condition(status, LatticeStatusAggregator.DELETING).getMessage())
        .contains("Members left: a, b, c").contains("never deletes them");
  }

  /** The status for what the members hold, judged fresh at {@code now}. */
  private LatticeStatus at(String holds, LatticeJudgement before, Instant now) {
    List<MemberView> views = before == null ? views(holds) : remembering(views(holds), before);
    return aggregator.status(lattice, three, decision(judge.judge(views, null, now), List.of()), now);
  }

  private LatticeDecision decision(LatticeJudgement judgement, List<String> problems) {
    return new LatticeDecision(judgement, new Connectivity(Map.of()),
        RolloutGate.plan(List.of(), Set.of(), false), Optional.empty(), problems,
        LatticeSettings.of(lattice, three, Duration.ofMinutes(10)));
  }

  /** "a:R1 b:- c:R2": members, the root each holds, "-" for one that does not answer. */
  private static List<MemberView> views(String holds) {
    return java.util.Arrays.stream(holds.trim().split("\\s+"))
        .map(h -> h.split(":"))
        .map(h -> switch (h[1]) {
          case "R1" -> MemberView.eligible(h[0], R1, 1);
          case "R2" -> MemberView.eligible(h[0], R2, 1);
          default -> MemberView.ineligible(h[0]);
        })
        .toList();
  }

  private static List<MemberView> remembering(List<MemberView> views, LatticeJudgement before) {
    return views.stream()
        .map(v -> {
          var j = before.members().get(v.name());
          return v.remembering(j.mismatchSince(), j.divergedSince());
        })
        .toList();
  }

  private static Lattice lattice() {
    Lattice l = new Lattice();
    l.setMetadata(new ObjectMetaBuilder().withName("lat").withNamespace("lattice").withGeneration(1L).build());
    return l;
  }

  private static Condition condition(LatticeStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }
}
