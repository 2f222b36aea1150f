package com.diotec360.lattice.operator.status;

import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberStatus;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeRolloutStatus;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.Quorum;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.judge.Verdict;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds a Lattice's status in one pass from the lattice's decision, and says whether it is worth
 * a write.
 *
 * <ol>
 *   <li>Start from the stored status; every condition keeps its lastTransitionTime unless its
 *       status flips (as {@link StatusAggregator} does for members).
 *   <li>The phase: Invalid, Split (a member is judged Split), NoQuorum (no reference root),
 *       Healthy (every member Consistent) or Degraded.
 *   <li>The reference root moves while data flows. It is a moving value: a change of it alone is
 *       written at most once per status refresh interval ({@link #worthWriting}); anything else
 *       that changes is written at once, with the current root.
 *   <li>So is what moves as members pass through Behind on every root change (in a big lattice
 *       under traffic, some member always does): agreeing, Healthy/Degraded and their conditions,
 *       while the lattice is Healthy or Degraded by writes in flight alone since it was last
 *       Healthy ({@code writesInFlight}), before and after. A member Diverged, Split, unreachable
 *       or starting is written at once, and so is every step of the way back from it.
 * </ol>
 *
 * <p>Pure: the Lattice, its members, the decision and the time in, the status out.
 */
public final class LatticeStatusAggregator {

  public static final String READY = "Ready";
  public static final String QUORUM = "Quorum";
  public static final String DELETING = "Deleting";

  /** Every condition a reconciled Lattice carries, in order. */
  public static final List<String> CONDITIONS = List.of(READY, QUORUM, DELETING);

  private final Duration refresh;

  /** @param refresh how often a moving value alone may be written */
  public LatticeStatusAggregator(Duration refresh) {
    this.refresh = refresh;
  }

  /** The status of a Lattice without external members. */
  public LatticeStatus status(Lattice lattice, List<LatticeNode> members, LatticeDecision decision, Instant now) {
    return status(lattice, members, null, decision, now);
  }

  /**
   * The Lattice's status for this decision.
   *
   * @param members its LatticeNodes
   * @param external its external members as judged ({@link ExternalMemberStatuses}), or null
   */
  public LatticeStatus status(
      Lattice lattice, List<LatticeNode> members, List<ExternalMemberStatus> external,
      LatticeDecision decision, Instant now) {
    LatticeStatus stored = stored(lattice);
    LatticeStatus status = stored.copy();
    Long generation = lattice.getMetadata().getGeneration();
    LatticeJudgement judgement = decision.judgement();
    int total = members.size() + (external == null ? 0 : external.size());
    status.setObservedGeneration(generation);
    status.setMembers(total);
    status.setAgreeing(judgement.agreeing());
    status.setQuorum(Quorum.majority(total));
    status.setExternalMembers(external);
    String root = judgement.referenceRoot();
    status.setReferenceRoot(root);
    status.setRootShort(root == null ? null : root.substring(0, Math.min(StatusAggregator.ROOT_SHORT, root.length())));
    // Stamped anew when written with new moving values (refreshed); the first status is new.
    status.setRefreshedAt(Objects.requireNonNullElse(stored.getRefreshedAt(), now.toString()));
    status.setPartitions(decision.connectivity().summary());
    status.setEvidence(evidence(members, external));
    status.setRollout(rollout(decision.rollout()));
    status.setHealing(decision.healing().orElse(null));
    String phase = phase(decision, total);
    status.setPhase(phase);
    // Calm is entered through Healthy only: on the way back from a problem every step is written.
    status.setWritesInFlight(
        LatticeStatus.DEGRADED.equals(phase) && writesInFlight(judgement) && calm(stored) ? true : null);

    List<Condition> conditions = stored.getConditions();
    conditions = Conditions.with(conditions, READY,
        LatticeStatus.HEALTHY.equals(phase) ? Conditions.TRUE : Conditions.FALSE,
        readyReason(phase).value(), readyMessage(phase, decision, total), generation, now);
    boolean quorum = judgement.hasQuorum() && !decision.invalid();
    conditions = Conditions.with(conditions, QUORUM,
        quorum ? Conditions.TRUE : Conditions.FALSE,
        (quorum ? Reason.QUORUM_HELD : Reason.NO_QUORUM).value(),
        quorumMessage(judgement, total), generation, now);
    conditions = Conditions.with(conditions, DELETING, Conditions.FALSE, Reason.NOT_DELETING.value(),
        "The Lattice is not being deleted", generation, now);
    status.setConditions(conditions);
    return status;
  }

  /**
   * The status of a Lattice that was deleted while members remain: Deleting=True, naming them.
   */
  public LatticeStatus deleting(Lattice lattice, List<LatticeNode> members, Instant now) {
    LatticeStatus status = stored(lattice).copy();
    status.setConditions(Conditions.with(status.getConditions(), DELETING, Conditions.TRUE,
        Reason.MEMBERS_REMAIN.value(), membersRemain(lattice, members),
        lattice.getMetadata().getGeneration(), now));
    return status;
  }

  /**
   * The status of a Lattice whose shared objects could not be written: Ready=False with the
   * server's words; the rest as stored (the decision was not made this time).
   */
  public LatticeStatus failed(Lattice lattice, String message, Instant now) {
    LatticeStatus status = stored(lattice).copy();
    status.setConditions(Conditions.with(status.getConditions(), READY, Conditions.FALSE,
        Reason.RECONCILE_ERROR.value(), message, lattice.getMetadata().getGeneration(), now));
    return status;
  }

  /** The words of a deletion that waits: which members remain, and what to do. */
  public static String membersRemain(Lattice lattice, List<LatticeNode> members) {
    return "Lattice " + lattice.getMetadata().getName() + " was deleted and waits for its members to"
        + " go; it never deletes them. Members left: "
        + members.stream().map(m -> m.getMetadata().getName()).collect(Collectors.joining(", "))
        + ". Delete them (kubectl delete ln ...) or move them to another lattice by recreating them";
  }

  /**
   * True when {@code next} differs from the stored status in something a person needs to see, or
   * only in its moving values and the refresh interval has passed since they were written. The
   * moving values: the reference root, and, while the lattice is calm before and after (Healthy, or
   * Degraded by writes in flight alone), what moves as members pass through Behind on every root
   * change: agreeing, phase, the Ready and Quorum conditions and the external members' verdicts.
   */
  public boolean worthWriting(LatticeStatus stored, LatticeStatus next, Instant now) {
    if (stored == null) {
      return true;
    }
    boolean calm = calm(stored) && calm(next);
    if (!settled(next, calm).equals(settled(stored, calm))) {
      return true;
    }
    return movingValuesDiffer(stored, next) && refreshDue(stored, now);
  }

  /** The status to write: refreshedAt stamped with now when its moving values are new. */
  public LatticeStatus refreshed(LatticeStatus stored, LatticeStatus next, Instant now) {
    LatticeStatus written = next.copy();
    if (stored == null || movingValuesDiffer(stored, next)) {
      written.setRefreshedAt(now.toString());
    }
    return written;
  }

  /** When moving values that wait may be written, if some wait. */
  public Optional<Instant> refreshAt(LatticeStatus stored, LatticeStatus next) {
    if (stored == null || !movingValuesDiffer(stored, next)) {
      return Optional.empty();
    }
    return Optional.of(lastRefresh(stored).plus(refresh));
  }

  private static boolean movingValuesDiffer(LatticeStatus stored, LatticeStatus next) {
    return !Objects.equals(next.getReferenceRoot(), stored.getReferenceRoot())
        || !settled(next, false).equals(settled(stored, false));
  }

  /** Healthy, or Degraded only by members Behind or Ahead inside the grace period. */
  private static boolean calm(LatticeStatus status) {
    return LatticeStatus.HEALTHY.equals(status.getPhase()) || Boolean.TRUE.equals(status.getWritesInFlight());
  }

  /**
   * The status without its moving values; when {@code calm}, also without what moves while writes
   * are in flight (the policy of {@link #worthWriting}).
   */
  private static LatticeStatus settled(LatticeStatus status, boolean calm) {
    LatticeStatus s = status.withoutMovingValues();
    if (calm) {
      s.setAgreeing(null);
      s.setPhase(null);
      s.setWritesInFlight(null);
      s.setConditions(status.getConditions() == null ? null : status.getConditions().stream()
          .filter(c -> !READY.equals(c.getType()) && !QUORUM.equals(c.getType())).toList());
      s.setExternalMembers(s.getExternalMembers() == null ? null : s.getExternalMembers().stream()
          .map(e -> {
            ExternalMemberStatus c = e.copy();
            c.setConsistency(null);
            return c;
          })
          .toList());
    }
    return s;
  }

  /**
   * Every member that does not hold the reference root is Behind or Ahead inside the grace period
   * (writes still propagating), and one is: nothing a person must act on.
   */
  static boolean writesInFlight(LatticeJudgement judgement) {
    boolean any = false;
    for (var j : judgement.members().values()) {
      if (j.verdict() == Verdict.CONSISTENT) {
        continue;
      }
      if (!j.verdict().isPending() || j.divergedSince() != null) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private boolean refreshDue(LatticeStatus stored, Instant now) {
    return !now.isBefore(lastRefresh(stored).plus(refresh));
  }

  private static Instant lastRefresh(LatticeStatus stored) {
    Instant at = com.diotec360.lattice.operator.observe.IsoInstants.parseOrNull(stored.getRefreshedAt());
    return at == null ? Instant.EPOCH : at;
  }

  static String phase(LatticeDecision decision, int members) {
    if (decision.invalid()) {
      return LatticeStatus.INVALID;
    }
    LatticeJudgement judgement = decision.judgement();
    boolean split = judgement.members().values().stream().anyMatch(j -> j.verdict() == Verdict.SPLIT);
    if (split) {
      return LatticeStatus.SPLIT;
    }
    if (!judgement.hasQuorum()) {
      return LatticeStatus.NO_QUORUM;
    }
    boolean all = members > 0
        && judgement.members().values().stream().allMatch(j -> j.verdict() == Verdict.CONSISTENT);
    return all ? LatticeStatus.HEALTHY : LatticeStatus.DEGRADED;
  }

  private static Reason readyReason(String phase) {
    return switch (phase) {
      case LatticeStatus.HEALTHY -> Reason.HEALTHY;
      case LatticeStatus.DEGRADED -> Reason.DEGRADED;
      case LatticeStatus.SPLIT -> Reason.LATTICE_SPLIT;
      case LatticeStatus.INVALID -> Reason.INVALID_SPEC;
      default -> Reason.NO_QUORUM;
    };
  }

  private static String readyMessage(String phase, LatticeDecision decision, int members) {
    if (LatticeStatus.INVALID.equals(phase)) {
      return decision.problemText();
    }
    if (members == 0) {
      return "The lattice has no members yet";
    }
    LatticeJudgement judgement = decision.judgement();
    String others = judgement.members().entrySet().stream()
        .filter(e -> e.getValue().verdict() != Verdict.CONSISTENT)
        .map(e -> e.getKey() + " is " + e.getValue().verdict().reason())
        .collect(Collectors.joining(", "));
    return switch (phase) {
      case LatticeStatus.HEALTHY -> "Every member holds the reference root";
      case LatticeStatus.SPLIT -> "The members hold different Merkle roots past the grace period and"
          + " no root is held by a strict majority; nobody can say which side is right"
          + " (spec.expectedMerkleRoot can). Sides: " + judgement.sides();
      case LatticeStatus.NO_QUORUM -> "No Merkle root is held by a strict majority of the members: " + others;
      default -> "A strict majority holds the reference root; " + others;
    };
  }

  private static String quorumMessage(LatticeJudgement judgement, int members) {
    if (!judgement.hasQuorum()) {
      return "No root is held by " + Quorum.majority(members) + " of the " + members + " members";
    }
    if (judgement.expectedRootOverride()) {
      return "The reference root is spec.expectedMerkleRoot; " + judgement.agreeing() + " of "
          + members + " members hold it";
    }
    return judgement.agreeing() + " of " + members + " members hold the reference root";
  }

  /** One line per member with Merkle evidence, from its status (an external member's from its entry). */
  private static String evidence(List<LatticeNode> members, List<ExternalMemberStatus> external) {
    List<String> lines = new ArrayList<>();
    for (LatticeNode m : members) {
      var divergence = m.getStatus() == null ? null : m.getStatus().getDivergence();
      if (divergence != null && divergence.getSummary() != null) {
        lines.add(m.getMetadata().getName() + ": " + divergence.getSummary());
      }
    }
    for (ExternalMemberStatus e : external == null ? List.<ExternalMemberStatus>of() : external) {
      if (e.getEvidence() != null) {
        lines.add(e.getName() + " (external): " + e.getEvidence());
      }
    }
    return lines.isEmpty() ? null : String.join("; ", lines);
  }

  private static LatticeRolloutStatus rollout(RolloutGate.Plan plan) {
    List<LatticeRolloutStatus.Waiting> waiting = new ArrayList<>();
    for (Map.Entry<String, RolloutGate.Decision> e : plan.decisions().entrySet()) {
      RolloutGate.Decision d = e.getValue();
      if (!d.proceed()) {
        waiting.add(new LatticeRolloutStatus.Waiting(e.getKey(), d.waitingFor(), d.blocking()));
      }
    }
    LatticeRolloutStatus status = new LatticeRolloutStatus(plan.restarting(), waiting);
    return status.isEmpty() ? null : status;
  }

  private static LatticeStatus stored(Lattice lattice) {
    return lattice.getStatus() == null ? new LatticeStatus() : lattice.getStatus();
  }
}
