package com.diotec360.lattice.operator.status;

import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberStatus;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberJudgement;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.NodeReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code status.externalMembers}: each external member as the prober saw it and the judge judged
 * it, in spec order. Pure.
 *
 * <p>A member that does not answer the node contract is Unobserved with what it answered (never a
 * divergence). The message of a member that stays unreachable is the one it first failed with, so
 * a connection error that reads differently each probe causes no write.
 */
public final class ExternalMemberStatuses {

  /**
   * What is known of one external member.
   *
   * @param spec its entry in spec.externalMembers
   * @param report the prober's last report, or null (not probed yet, or not probed at all)
   * @param problem why it is not probed (its Secret), or null
   * @param divergence the Merkle evidence when Diverged or Split, or null
   */
  public record Seen(ExternalMember spec, NodeReport report, String problem, DivergenceStatus divergence) {}

  private ExternalMemberStatuses() {}

  /** The entries for this judgement; null when the lattice has no external members. */
  public static List<ExternalMemberStatus> of(
      List<Seen> members, LatticeJudgement judgement, List<ExternalMemberStatus> stored) {
    if (members.isEmpty()) {
      return null;
    }
    List<ExternalMemberStatus> statuses = new ArrayList<>(members.size());
    for (Seen seen : members) {
      ExternalMember spec = seen.spec();
      ExternalMemberStatus s = new ExternalMemberStatus(spec.getName(), spec.getUrl(), spec.getRole());
      MemberJudgement judged = judgement.members().get(spec.getName());
      Verdict verdict = judged == null ? Verdict.UNOBSERVED : judged.verdict();
      NodeReport report = seen.report();
      boolean reachable = seen.problem() == null && report != null && report.reachable() && report.observation() != null;
      s.setReachable(seen.problem() == null && report != null ? reachable : null);
      s.setConsistency(StatusAggregator.consistency(verdict, seen.divergence()));
      if (report != null && report.observation() != null && reachable) {
        s.setMerkleRoot(report.observation().merkleRoot());
        s.setVersion(report.observation().version());
        s.setSyncMode(report.observation().syncMode());
        if (!report.observation().healthy()) {
          s.setMessage("answers unhealthy: " + report.observation().unhealthyReason());
        }
      }
      if (seen.problem() != null) {
        s.setMessage("not probed: " + seen.problem());
      } else if (report != null && !reachable) {
        s.setMessage(unreachable(report, previous(stored, spec.getName())));
      }
      if (seen.divergence() != null) {
        s.setEvidence(seen.divergence().getSummary());
      }
      if (judged != null) {
        s.setMismatchSince(instant(judged.mismatchSince()));
        s.setDivergedSince(instant(judged.divergedSince()));
      }
      statuses.add(s);
    }
    return statuses;
  }

  private static String unreachable(NodeReport report, ExternalMemberStatus before) {
    if (before != null && Boolean.FALSE.equals(before.getReachable()) && before.getMessage() != null) {
      return before.getMessage();
    }
    return "does not answer the node contract: " + Objects.requireNonNullElse(report.lastError(), "no answer");
  }

  private static ExternalMemberStatus previous(List<ExternalMemberStatus> stored, String name) {
    return stored == null ? null
        : stored.stream().filter(e -> name.equals(e.getName())).findFirst().orElse(null);
  }

  private static String instant(Instant at) {
    return at == null ? null : at.toString();
  }
}
