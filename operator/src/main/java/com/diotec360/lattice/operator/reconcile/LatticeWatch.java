package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.observe.IsoInstants;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeReports;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the judge: one {@link MemberView} per member of the node's lattice, from the prober's
 * latest reports and the memory each member keeps in its own status (mismatchSince,
 * divergedSince), so the grace period survives operator restarts.
 */
public final class LatticeWatch {

  private final LatticeJudge judge;
  private final NodeReports reports;

  public LatticeWatch(LatticeJudge judge, NodeReports reports) {
    this.judge = judge;
    this.reports = reports;
  }

  public NodeReports reports() {
    return reports;
  }

  /** Judges the whole lattice; {@code members} includes {@code node} (added when missing). */
  public LatticeJudgement judge(LatticeNode node, List<LatticeNode> members, Instant now) {
    List<LatticeNode> all = new ArrayList<>(members);
    boolean present =
        all.stream().anyMatch(m -> m.getMetadata().getName().equals(node.getMetadata().getName()));
    if (!present) {
      all.add(node);
    }
    List<MemberView> views = new ArrayList<>(all.size());
    for (LatticeNode member : all) {
      // The node being reconciled carries the freshest status; the cache may lag behind it.
      LatticeNode source =
          member.getMetadata().getName().equals(node.getMetadata().getName()) ? node : member;
      views.add(view(source));
    }
    return judge.judge(views, node.getSpec().getExpectedMerkleRoot(), now);
  }

  private MemberView view(LatticeNode member) {
    String name = member.getMetadata().getName();
    NodeReport report = reports.latest(ResourceID.fromResource(member)).orElse(null);
    MemberView view;
    if (report == null || !report.eligible()) {
      view = MemberView.ineligible(name);
    } else {
      NodeObservation seen = report.observation();
      view = MemberView.eligible(name, seen.merkleRoot(), seen.version());
    }
    LatticeNodeStatus status = member.getStatus();
    if (status == null) {
      return view;
    }
    return view.remembering(IsoInstants.parseOrNull(status.getMismatchSince()), IsoInstants.parseOrNull(status.getDivergedSince()));
  }

}
