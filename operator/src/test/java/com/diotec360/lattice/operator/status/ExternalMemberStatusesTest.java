package com.diotec360.lattice.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberStatus;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.observe.NodeReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** status.externalMembers: when an external member counts as unreachable, and what it says then. */
class ExternalMemberStatusesTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final ExternalMember HOSTED = new ExternalMember("node1", "https://node1.hf.space", "genesis-public");
  private static final LatticeJudgement UNSEEN =
      new LatticeJudge(Duration.ofSeconds(60)).judge(List.of(MemberView.ineligible("node1")), null, T0);

  private static ExternalMemberStatus one(NodeReport report, List<ExternalMemberStatus> stored) {
    return ExternalMemberStatuses.of(
        List.of(new ExternalMemberStatuses.Seen(HOSTED, report, null, null)), UNSEEN, stored).get(0);
  }

  @Test
  void aMemberThatNeverAnsweredIsNotUnreachableBeforeTheThreshold() {
    // One failed probe of three: the prober still counts it reachable; nothing is said yet.
    ExternalMemberStatus first = one(new NodeReport(true, 1, T0, "connection refused", null), null);
    assertThat(first.getReachable()).isNull();
    assertThat(first.getMessage()).isNull();
    assertThat(first.getConsistency()).isEqualTo("Unobserved");
  }

  @Test
  void pastTheThresholdItIsUnreachableWithTheFirstWordsItFailedWith() {
    ExternalMemberStatus down = one(new NodeReport(false, 3, T0, "GET /health answered 404", null), null);
    assertThat(down.getReachable()).isFalse();
    assertThat(down.getMessage()).isEqualTo("does not answer the node contract: GET /health answered 404");
    // A later failure in other words writes nothing new.
    ExternalMemberStatus later = one(new NodeReport(false, 4, T0, "timeout", null), List.of(down));
    assertThat(later).isEqualTo(down);
  }
}
