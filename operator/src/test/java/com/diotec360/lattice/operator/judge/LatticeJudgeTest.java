package com.diotec360.lattice.operator.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatticeJudgeTest {

  static final Duration GRACE = Duration.ofSeconds(60);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String R1 = "a".repeat(64);
  static final String R2 = "b".repeat(64);
  static final String R3 = "c".repeat(64);

  final LatticeJudge judge = new LatticeJudge(GRACE);

  /** "name:root:version" eligible, "name:down" ineligible. */
  static List<MemberView> lattice(String... specs) {
    List<MemberView> members = new ArrayList<>();
    for (String spec : specs) {
      String[] p = spec.split(":");
      if (p[1].equals("down")) {
        members.add(MemberView.ineligible(p[0]));
      } else {
        String root = switch (p[1]) {
          case "R1" -> R1;
          case "R2" -> R2;
          default -> R3;
        };
        members.add(MemberView.eligible(p[0], root, Long.parseLong(p[2])));
      }
    }
    return members;
  }

  static Stream<Arguments> firstSight() {
    return Stream.of(
        // description, members, expected verdicts in order, reference
        Arguments.of("single node is its own majority", lattice("a:R1:1"), "CONSISTENT", "R1"),
        Arguments.of("two agreeing", lattice("a:R1:1", "b:R1:1"), "CONSISTENT,CONSISTENT", "R1"),
        Arguments.of("two disagreeing: 1 of 2 is no majority", lattice("a:R1:2", "b:R2:1"),
            "NO_QUORUM,NO_QUORUM", null),
        Arguments.of("two, one down: 1 of 2 is no quorum", lattice("a:R1:1", "b:down"),
            "NO_QUORUM,UNOBSERVED", null),
        Arguments.of("three agreeing", lattice("a:R1:3", "b:R1:3", "c:R1:3"),
            "CONSISTENT,CONSISTENT,CONSISTENT", "R1"),
        Arguments.of("three, one down: 2 of 3 is quorum", lattice("a:R1:3", "b:R1:3", "c:down"),
            "CONSISTENT,CONSISTENT,UNOBSERVED", "R1"),
        Arguments.of("three, two down: 1 of 3 is not", lattice("a:R1:3", "b:down", "c:down"),
            "NO_QUORUM,UNOBSERVED,UNOBSERVED", null),
        Arguments.of("three, one behind", lattice("a:R1:3", "b:R1:3", "c:R2:2"),
            "CONSISTENT,CONSISTENT,BEHIND", "R1"),
        Arguments.of("three, one ahead (write propagating)", lattice("a:R1:3", "b:R1:3", "c:R2:4"),
            "CONSISTENT,CONSISTENT,AHEAD", "R1"),
        Arguments.of("three, one forked at same version", lattice("a:R1:3", "b:R1:3", "c:R2:3"),
            "CONSISTENT,CONSISTENT,AHEAD", "R1"),
        Arguments.of("three, all different", lattice("a:R1:3", "b:R2:3", "c:R3:3"),
            "NO_QUORUM,NO_QUORUM,NO_QUORUM", null),
        Arguments.of("four, even split 2-2", lattice("a:R1:3", "b:R1:3", "c:R2:3", "d:R2:3"),
            "NO_QUORUM,NO_QUORUM,NO_QUORUM,NO_QUORUM", null),
        Arguments.of("four, 3-1", lattice("a:R1:3", "b:R1:3", "c:R1:3", "d:R2:1"),
            "CONSISTENT,CONSISTENT,CONSISTENT,BEHIND", "R1"),
        Arguments.of("five, two down, three agree", lattice("a:R1:3", "b:R1:3", "c:R1:3", "d:down", "e:down"),
            "CONSISTENT,CONSISTENT,CONSISTENT,UNOBSERVED,UNOBSERVED", "R1"),
        Arguments.of("five, two down, 2-1 among the rest: no quorum of five",
            lattice("a:R1:3", "b:R1:3", "c:R2:3", "d:down", "e:down"),
            "NO_QUORUM,NO_QUORUM,NO_QUORUM,UNOBSERVED,UNOBSERVED", null),
        Arguments.of("empty lattice", lattice(), "", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("firstSight")
  void verdictsOnFirstSight(String description, List<MemberView> members, String expected, String ref) {
    LatticeJudgement j = judge.judge(members, null, T0);
    List<String> verdicts = members.stream().map(m -> j.of(m.name()).verdict().name()).toList();
    assertThat(String.join(",", verdicts)).as(description).isEqualTo(expected);
    String expectedRoot = ref == null ? null : switch (ref) {
      case "R1" -> R1;
      case "R2" -> R2;
      default -> R3;
    };
    assertThat(j.referenceRoot()).isEqualTo(expectedRoot);
    assertThat(j.total()).isEqualTo(members.size());
  }

  @Test
  void agreeingCountsOnlyMembersAtTheReference() {
    LatticeJudgement j =
        judge.judge(lattice("a:R1:3", "b:R1:3", "c:R1:3", "d:R2:2", "e:down"), null, T0);
    assertThat(j.agreeing()).isEqualTo(3);
    assertThat(j.total()).isEqualTo(5);
    LatticeJudgement split = judge.judge(lattice("a:R1:3", "b:R1:3", "c:R2:2", "d:down"), null, T0);
    assertThat(split.hasQuorum()).as("2 of 4 is not a strict majority").isFalse();
    assertThat(split.agreeing()).isZero();
  }

  @Test
  void behindWithinGraceKeepsItsStartAndSaysWhenToLookAgain() {
    var members = lattice("a:R1:3", "b:R1:3", "c:R2:2");
    MemberJudgement first = judge.judge(members, null, T0).of("c");
    assertThat(first.verdict()).isEqualTo(Verdict.BEHIND);
    assertThat(first.mismatchSince()).isEqualTo(T0);
    assertThat(first.recheckAfter(T0)).contains(GRACE);

    Instant later = T0.plusSeconds(59);
    var remembered = withMemory(members, "c", first);
    MemberJudgement second = judge.judge(remembered, null, later).of("c");
    assertThat(second.verdict()).isEqualTo(Verdict.BEHIND);
    assertThat(second.mismatchSince()).isEqualTo(T0);
    assertThat(second.recheckAfter(later)).contains(Duration.ofSeconds(1));
  }

  @Test
  void behindPastGraceIsDiverged() {
    var members = lattice("a:R1:3", "b:R1:3", "c:R2:2");
    MemberJudgement first = judge.judge(members, null, T0).of("c");
    Instant expiry = T0.plus(GRACE);
    MemberJudgement second = judge.judge(withMemory(members, "c", first), null, expiry).of("c");
    assertThat(second.verdict()).isEqualTo(Verdict.DIVERGED);
    assertThat(second.divergedSince()).isEqualTo(expiry);
    assertThat(second.recheckAfter(expiry)).isEmpty();

    MemberJudgement third =
        judge.judge(withMemory(members, "c", second), null, expiry.plusSeconds(30)).of("c");
    assertThat(third.verdict()).isEqualTo(Verdict.DIVERGED);
    assertThat(third.divergedSince()).as("kept, not moved").isEqualTo(expiry);
  }

  @Test
  void aheadPastGraceIsDivergedToo() {
    var members = lattice("a:R1:3", "b:R1:3", "c:R2:9");
    MemberJudgement first = judge.judge(members, null, T0).of("c");
    assertThat(first.verdict()).isEqualTo(Verdict.AHEAD);
    MemberJudgement later =
        judge.judge(withMemory(members, "c", first), null, T0.plus(GRACE).plusSeconds(1)).of("c");
    assertThat(later.verdict()).isEqualTo(Verdict.DIVERGED);
  }

  @Test
  void catchingUpWithinGraceNeverShowsDiverged() {
    var behind = lattice("a:R1:3", "b:R1:3", "c:R2:2");
    MemberJudgement first = judge.judge(behind, null, T0).of("c");
    var caughtUp = withMemory(lattice("a:R1:3", "b:R1:3", "c:R1:3"), "c", first);
    MemberJudgement second = judge.judge(caughtUp, null, T0.plusSeconds(30)).of("c");
    assertThat(second.verdict()).isEqualTo(Verdict.CONSISTENT);
    assertThat(second.mismatchSince()).isNull();
    assertThat(second.divergedSince()).isNull();
  }

  @Test
  void divergedMemberThatConvergesIsConsistentAndForgets() {
    var members = lattice("a:R1:3", "b:R1:3", "c:R2:2");
    var diverged =
        new MemberJudgement(Verdict.DIVERGED, T0, T0.plus(GRACE), null);
    var converged = withMemory(lattice("a:R1:3", "b:R1:3", "c:R1:3"), "c", diverged);
    MemberJudgement j = judge.judge(converged, null, T0.plusSeconds(600)).of("c");
    assertThat(j.verdict()).isEqualTo(Verdict.CONSISTENT);
    assertThat(j.divergedSince()).isNull();
    assertThat(members).hasSize(3);
  }

  @Test
  void flappingMemberRestartsItsGraceEachTimeItMatches() {
    Instant now = T0;
    MemberJudgement memory = new MemberJudgement(Verdict.CONSISTENT, null, null, null);
    for (int i = 0; i < 20; i++) {
      boolean mismatching = i % 2 == 0;
      var members = lattice("a:R1:3", "b:R1:3", mismatching ? "c:R2:2" : "c:R1:3");
      memory = judge.judge(withMemory(members, "c", memory), null, now).of("c");
      assertThat(memory.verdict()).isNotEqualTo(Verdict.DIVERGED);
      now = now.plusSeconds(40); // each mismatch lasts 40 s < 60 s grace
    }
  }

  @Test
  void expectedRootOverridesTheMajority() {
    var members = lattice("a:R1:3", "b:R1:3", "c:R2:3");
    LatticeJudgement j = judge.judge(members, R2, T0);
    assertThat(j.referenceRoot()).isEqualTo(R2);
    assertThat(j.expectedRootOverride()).isTrue();
    assertThat(j.of("c").verdict()).isEqualTo(Verdict.CONSISTENT);
    assertThat(j.of("a").verdict()).isEqualTo(Verdict.AHEAD);
    assertThat(j.agreeing()).isEqualTo(1);
  }

  @Test
  void expectedRootNobodyHoldsMakesEveryoneBehindThenDiverged() {
    var members = lattice("a:R1:3", "b:R1:3");
    LatticeJudgement first = judge.judge(members, R3, T0);
    assertThat(first.of("a").verdict()).isEqualTo(Verdict.BEHIND);
    var remembered = withMemory(members, "a", first.of("a"));
    assertThat(judge.judge(remembered, R3, T0.plus(GRACE)).of("a").verdict())
        .isEqualTo(Verdict.DIVERGED);
  }

  @Test
  void expectedRootGivesQuorumEvenWithAnEvenSplit() {
    var members = lattice("a:R1:3", "b:R2:3");
    assertThat(judge.judge(members, R1, T0).of("a").verdict()).isEqualTo(Verdict.CONSISTENT);
  }

  @Test
  void noQuorumBlamesNobodyAndKeepsMemory() {
    var members = lattice("a:R1:3", "b:down", "c:down");
    var memory = new MemberJudgement(Verdict.BEHIND, T0, null, T0.plus(GRACE));
    MemberJudgement j = judge.judge(withMemory(members, "b", memory), null, T0.plusSeconds(999)).of("b");
    assertThat(j.verdict()).isEqualTo(Verdict.UNOBSERVED);
    assertThat(j.mismatchSince()).isEqualTo(T0);
    assertThat(j.divergedSince()).isNull();
    MemberJudgement a = judge.judge(members, null, T0.plusSeconds(999)).of("a");
    assertThat(a.verdict()).isEqualTo(Verdict.NO_QUORUM);
    assertThat(a.recheckAfter(T0)).isEmpty();
  }

  @Test
  void twoMembersOnDifferentRootsWhoWereMismatchedLongAgoAreSplitAtOnce() {
    var members = lattice("a:R1:3", "b:R2:3");
    var memory = new MemberJudgement(Verdict.BEHIND, T0, null, T0.plus(GRACE));
    MemberJudgement j = judge.judge(withMemory(members, "b", memory), null, T0.plusSeconds(999)).of("b");
    assertThat(j.verdict()).isEqualTo(Verdict.SPLIT);
    assertThat(j.mismatchSince()).isEqualTo(T0);
    assertThat(j.divergedSince()).isEqualTo(T0.plusSeconds(999));
  }

  @Test
  void unreachableMemberIsUnobservedAndKeepsMemory() {
    var members = lattice("a:R1:3", "b:R1:3", "c:down");
    var memory = new MemberJudgement(Verdict.DIVERGED, T0, T0.plus(GRACE), null);
    MemberJudgement j = judge.judge(withMemory(members, "c", memory), null, T0.plusSeconds(999)).of("c");
    assertThat(j.verdict()).isEqualTo(Verdict.UNOBSERVED);
    assertThat(j.divergedSince()).isEqualTo(T0.plus(GRACE));
  }

  @Test
  void returningMemberStillMismatchedPastGraceIsDivergedAtOnce() {
    var memory = new MemberJudgement(Verdict.UNOBSERVED, T0, null, null);
    var members = withMemory(lattice("a:R1:3", "b:R1:3", "c:R2:2"), "c", memory);
    assertThat(judge.judge(members, null, T0.plus(GRACE)).of("c").verdict())
        .isEqualTo(Verdict.DIVERGED);
  }

  @Test
  void zeroGraceDivergesImmediately() {
    var members = lattice("a:R1:3", "b:R1:3", "c:R2:2");
    assertThat(new LatticeJudge(Duration.ZERO).judge(members, null, T0).of("c").verdict())
        .isEqualTo(Verdict.DIVERGED);
  }

  static List<MemberView> withMemory(List<MemberView> members, String name, MemberJudgement j) {
    return members.stream()
        .map(m -> m.name().equals(name) ? m.remembering(j.mismatchSince(), j.divergedSince()) : m)
        .toList();
  }

  /** What the judge concludes for 2, 3 and 4 members that disagree without a majority. */
  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("two on different roots", lattice("a:R1:2", "b:R2:1")),
        Arguments.of("three, one down, the other two on different roots", lattice("a:R1:2", "b:R2:1", "c:down")),
        Arguments.of("three on three roots", lattice("a:R1:2", "b:R2:1", "c:R3:1")),
        Arguments.of("four, two against two", lattice("a:R1:2", "b:R1:2", "c:R2:1", "d:R2:1")));
  }

  @ParameterizedTest(name = "{0}: NoQuorum within the grace period, Split after it")
  @MethodSource("splits")
  void membersThatDisagreeWithoutAMajorityAreSplitAfterTheGracePeriod(String why, List<MemberView> members) {
    LatticeJudgement first = judge.judge(members, null, T0);
    assertThat(first.hasQuorum()).isFalse();
    members.stream().filter(MemberView::eligible).forEach(m -> {
      MemberJudgement j = first.of(m.name());
      assertThat(j.verdict()).as(m.name()).isEqualTo(Verdict.NO_QUORUM);
      assertThat(j.mismatchSince()).isEqualTo(T0);
      assertThat(j.recheckAfter(T0)).hasValue(GRACE);
    });

    List<MemberView> remembered = members.stream()
        .map(m -> m.remembering(first.of(m.name()).mismatchSince(), first.of(m.name()).divergedSince()))
        .toList();
    Instant later = T0.plus(GRACE);
    LatticeJudgement after = judge.judge(remembered, null, later);
    remembered.forEach(m -> assertThat(after.of(m.name()).verdict()).as(m.name())
        .isEqualTo(m.eligible() ? Verdict.SPLIT : Verdict.UNOBSERVED));
    assertThat(after.of("a").divergedSince()).isEqualTo(later);
    assertThat(after.sides()).contains("aaaaaaaaaaaa held by a").contains("bbbbbbbbbbbb held by");
  }

  @Test
  void anExpectedRootStillDecidesWhoIsRight() {
    LatticeJudgement j = judge.judge(lattice("a:R1:2", "b:R2:1"), R1, T0.plus(GRACE));
    assertThat(j.of("a").verdict()).isEqualTo(Verdict.CONSISTENT);
    assertThat(j.of("b").verdict()).isEqualTo(Verdict.BEHIND);
  }

  @Test
  void membersWhoAgreeWithoutAMajorityAreNotSplit() {
    LatticeJudgement j = judge.judge(lattice("a:R1:1", "b:down", "c:down"), null, T0.plus(GRACE));
    assertThat(j.of("a").verdict()).isEqualTo(Verdict.NO_QUORUM);
    assertThat(j.of("a").mismatchSince()).isNull();
  }
}
