package com.diotec360.lattice.operator.decision;

import com.diotec360.lattice.operator.judge.Connectivity;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberJudgement;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the lattice's one reconcile decided, for its members to act on: the judgement of every
 * member, who reaches whom, whose turn it is to restart or to be repaired, and whether the
 * Lattice's spec can be applied at all. Made once per change of the lattice by {@link
 * LatticeReconciler}, read by every member's reconcile; nothing here is judged again per member.
 *
 * @param judgement every member's verdict, the reference root and the roots seen
 * @param connectivity which members reach which
 * @param rollout who may restart now, and why the others wait
 * @param healing the member whose repair turn it is, if any
 * @param problems why the Lattice's spec cannot be applied; empty when it can
 * @param settings the lattice-wide settings in effect
 * @param external the names of the external members (judged with the others, never acted on)
 */
public record LatticeDecision(
    LatticeJudgement judgement,
    Connectivity connectivity,
    RolloutGate.Plan rollout,
    Optional<String> healing,
    List<String> problems,
    LatticeSettings settings,
    java.util.Set<String> external) {

  /** A decision for a lattice without external members. */
  public LatticeDecision(
      LatticeJudgement judgement, Connectivity connectivity, RolloutGate.Plan rollout,
      Optional<String> healing, List<String> problems, LatticeSettings settings) {
    this(judgement, connectivity, rollout, healing, problems, settings, java.util.Set.of());
  }

  /** The judgement a repair reads: a diverged member resyncs only from a member the operator runs. */
  public LatticeJudgement forRepair() {
    return judgement.withoutRootsOf(external);
  }

  /** The part of the decision that concerns one member: a change of it wakes that member. */
  public record ForMember(
      MemberJudgement judgement,
      boolean mayRestart,
      RolloutGate.Decision waiting,
      Optional<String> healing,
      List<String> problems,
      String cause,
      boolean judgedAgainstExpectedRoot) {}

  /** The member's share, or empty when the decision was made before it joined. */
  public Optional<ForMember> forMember(String member) {
    MemberJudgement verdict = judgement.members().get(member);
    if (verdict == null) {
      return Optional.empty();
    }
    return Optional.of(new ForMember(
        verdict,
        rollout.mayRestart(member),
        rollout.decisions().get(member),
        healing,
        problems,
        connectivity.causeFor(member),
        judgement.expectedRootOverride()));
  }

  /** True when the Lattice's spec cannot be applied. */
  public boolean invalid() {
    return !problems.isEmpty();
  }

  /** The Lattice's problems in one sentence. */
  public String problemText() {
    return String.join("; ", problems);
  }

  /** True when this member's share differs from what {@code before} gave it. */
  public boolean changedFor(String member, LatticeDecision before) {
    return before == null || !Objects.equals(forMember(member), before.forMember(member));
  }
}
