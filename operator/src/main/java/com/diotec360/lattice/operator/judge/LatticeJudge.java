package com.diotec360.lattice.operator.judge;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Decides Consistent / Behind / Ahead / Diverged / NoQuorum for every member of a lattice.
 *
 * <ul>
 *   <li>Reference root: {@code expectedMerkleRoot} when set; otherwise the root held by a strict
 *       majority of <em>all</em> members (reachable or not), as etcd counts a quorum against the
 *       cluster's size. Without one, every eligible member is NoQuorum and nobody is blamed;
 *       but when the reachable members hold different roots for longer than the grace period,
 *       the lattice is <em>split</em> and every reachable member is judged Split (two members
 *       on different roots are always split: neither is a majority).
 *   <li>A member holding another root is Behind (lower version) or Ahead (same or higher version)
 *       while the grace period runs, and Diverged once it ran out. A member that matches again
 *       within the grace period never shows Diverged: writes in flight raise no alarm.
 *   <li>Memory ({@code mismatchSince}, {@code divergedSince}) only moves when a member can be
 *       judged: an unreachable member, or a lattice without quorum, keeps it as it was.
 * </ul>
 *
 * <p>Deliberate reading of the issue: it calls a member with the same or a higher version and
 * another root Diverged at once. With this node (entries are a set, merged by anti-entropy) that is
 * exactly what a write accepted on one node looks like until it propagates, so it gets the same
 * grace as Behind; a genuine fork still turns Diverged after the grace period.
 *
 * <p>Pure: no clock, no I/O, no Kubernetes types.
 */
public final class LatticeJudge {

  private final Duration grace;

  public LatticeJudge(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace period must not be negative: " + grace);
    }
    this.grace = grace;
  }

  public Duration grace() {
    return grace;
  }

  /**
   * @param members every member of the lattice, eligible or not; names unique
   * @param expectedRoot spec.expectedMerkleRoot, or null to use the majority root
   * @param now the time of this judgement
   */
  public LatticeJudgement judge(List<MemberView> members, String expectedRoot, Instant now) {
    Objects.requireNonNull(now, "now");
    int total = members.size();
    String reference = expectedRoot != null ? expectedRoot : majorityRoot(members, total);
    Map<String, MemberJudgement> verdicts = new LinkedHashMap<>();
    if (reference == null) {
      boolean disagree =
          members.stream().filter(m -> m.eligible() && m.merkleRoot() != null)
              .map(MemberView::merkleRoot).distinct().count() > 1;
      for (MemberView m : members) {
        MemberJudgement judgement;
        if (!m.eligible() || m.merkleRoot() == null) {
          judgement = keep(m, Verdict.UNOBSERVED);
        } else if (disagree) {
          judgement = split(m, now);
        } else {
          judgement = new MemberJudgement(Verdict.NO_QUORUM, null, null, null);
        }
        verdicts.put(m.name(), judgement);
      }
      return new LatticeJudgement(null, false, 0, total, verdicts, roots(members));
    }
    OptionalLong referenceVersion =
        members.stream()
            .filter(m -> m.eligible() && reference.equals(m.merkleRoot()))
            .mapToLong(MemberView::version)
            .max();
    int agreeing = 0;
    for (MemberView m : members) {
      MemberJudgement judgement;
      if (!m.eligible() || m.merkleRoot() == null) {
        judgement = keep(m, Verdict.UNOBSERVED);
      } else if (reference.equals(m.merkleRoot())) {
        agreeing++;
        judgement = new MemberJudgement(Verdict.CONSISTENT, null, null, null);
      } else {
        judgement = mismatch(m, referenceVersion, now);
      }
      verdicts.put(m.name(), judgement);
    }
    return new LatticeJudgement(
        reference, expectedRoot != null, agreeing, total, verdicts, roots(members));
  }

  private static Map<String, String> roots(List<MemberView> members) {
    Map<String, String> roots = new LinkedHashMap<>();
    for (MemberView m : members) {
      if (m.eligible() && m.merkleRoot() != null) {
        roots.put(m.name(), m.merkleRoot());
      }
    }
    return roots;
  }

  private MemberJudgement mismatch(MemberView m, OptionalLong referenceVersion, Instant now) {
    Instant since = m.mismatchSince() != null ? m.mismatchSince() : now;
    Instant graceEnds = since.plus(grace);
    if (!now.isBefore(graceEnds)) {
      Instant diverged = m.divergedSince() != null ? m.divergedSince() : now;
      return new MemberJudgement(Verdict.DIVERGED, since, diverged, null);
    }
    // Without a member at the reference (an expected root nobody holds yet) it is Behind.
    boolean behind = referenceVersion.isEmpty() || m.version() < referenceVersion.getAsLong();
    return new MemberJudgement(
        behind ? Verdict.BEHIND : Verdict.AHEAD, since, m.divergedSince(), graceEnds);
  }

  /**
   * A member of a lattice whose reachable members disagree without a majority: NoQuorum while the
   * grace period runs (writes in flight look like this for a moment), Split after it.
   */
  private MemberJudgement split(MemberView m, Instant now) {
    Instant since = m.mismatchSince() != null ? m.mismatchSince() : now;
    Instant graceEnds = since.plus(grace);
    if (!now.isBefore(graceEnds)) {
      Instant splitSince = m.divergedSince() != null ? m.divergedSince() : now;
      return new MemberJudgement(Verdict.SPLIT, since, splitSince, null);
    }
    return new MemberJudgement(Verdict.NO_QUORUM, since, m.divergedSince(), graceEnds);
  }

  private static MemberJudgement keep(MemberView m, Verdict verdict) {
    return new MemberJudgement(verdict, m.mismatchSince(), m.divergedSince(), null);
  }

  /** The root held by more than half of all members, or null. */
  static String majorityRoot(List<MemberView> members, int total) {
    Map<String, Integer> votes = new HashMap<>();
    for (MemberView m : members) {
      if (m.eligible() && m.merkleRoot() != null) {
        votes.merge(m.merkleRoot(), 1, Integer::sum);
      }
    }
    return votes.entrySet().stream()
        .filter(e -> e.getValue() * 2 > total)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }
}
