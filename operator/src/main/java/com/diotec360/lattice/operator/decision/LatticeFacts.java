package com.diotec360.lattice.operator.decision;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.RolloutStatus;
import com.diotec360.lattice.operator.api.v1alpha1.SelfHealStatus;
import com.diotec360.lattice.operator.judge.Connectivity;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.IsoInstants;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeReports;
import com.diotec360.lattice.operator.observe.NodeTarget;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberStatus;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The facts the lattice's judge and roller take, read from its members: what the prober last saw
 * of each, what each member's status remembers (the grace period's start, its rollout), and who
 * reaches whom. Reads only; decides nothing.
 */
public final class LatticeFacts {

  private final NodeReports reports;
  private final NodeAddressResolver resolver;

  public LatticeFacts(NodeReports reports, NodeAddressResolver resolver) {
    this.reports = reports;
    this.resolver = resolver;
  }

  /**
   * One view per member for the judge. Its memory (when the member started to differ, when it was
   * judged Diverged) is the last decision's, or, before this process decided anything for the
   * lattice, the member's status, so the grace period survives restarts and leader changes.
   */
  public List<MemberView> views(List<LatticeNode> members, Optional<LatticeDecision> before) {
    List<MemberView> views = new ArrayList<>(members.size());
    for (LatticeNode member : members) {
      String name = member.getMetadata().getName();
      NodeReport report = reports.latest(ResourceID.fromResource(member)).orElse(null);
      MemberView view = report == null || !report.eligible() || member.getSpec().suspended()
          ? MemberView.ineligible(name)
          : MemberView.eligible(name, report.observation().merkleRoot(), report.observation().version());
      MemberJudgement remembered =
          before.map(d -> d.judgement().members().get(name)).orElse(null);
      if (remembered != null) {
        view = view.remembering(remembered.mismatchSince(), remembered.divergedSince());
      } else if (member.getStatus() != null) {
        LatticeNodeStatus status = member.getStatus();
        view = view.remembering(
            IsoInstants.parseOrNull(status.getMismatchSince()), IsoInstants.parseOrNull(status.getDivergedSince()));
      }
      views.add(view);
    }
    return views;
  }

  /**
   * One view per external member, named as in the spec: from the prober's report of it, and the
   * memory of the last decision or, before that, of the Lattice's status.externalMembers.
   */
  public List<MemberView> externalViews(
      String namespace, String lattice, List<String> names, Optional<LatticeDecision> before,
      List<ExternalMemberStatus> stored) {
    List<MemberView> views = new ArrayList<>(names.size());
    for (String name : names) {
      NodeReport report = reports.latest(NodeTarget.externalId(namespace, lattice, name)).orElse(null);
      MemberView view = report == null || !report.eligible()
          ? MemberView.ineligible(name)
          : MemberView.eligible(name, report.observation().merkleRoot(), report.observation().version());
      MemberJudgement remembered = before.map(d -> d.judgement().members().get(name)).orElse(null);
      if (remembered != null) {
        view = view.remembering(remembered.mismatchSince(), remembered.divergedSince());
      } else {
        Optional<ExternalMemberStatus> status = Objects.requireNonNullElse(stored, List.<ExternalMemberStatus>of())
            .stream().filter(e -> name.equals(e.getName())).findFirst();
        if (status.isPresent()) {
          view = view.remembering(IsoInstants.parseOrNull(status.get().getMismatchSince()),
              IsoInstants.parseOrNull(status.get().getDivergedSince()));
        }
      }
      views.add(view);
    }
    return views;
  }

  /** Each member as the roller sees it, from its status' rollout and the judgement. */
  public static List<RolloutGate.Member> rollout(List<LatticeNode> members, LatticeJudgement judgement) {
    List<RolloutGate.Member> facts = new ArrayList<>(members.size());
    for (LatticeNode member : members) {
      String name = member.getMetadata().getName();
      boolean suspended = member.getSpec().suspended();
      RolloutStatus r = member.getStatus() == null ? null : member.getStatus().getRollout();
      String running = r == null ? null : r.getRevision();
      String wanted = r == null ? null : r.getWantedRevision();
      Verdict verdict = judgement.of(name).verdict();
      boolean waiting = !suspended && !member.paused() && running != null && wanted != null
          && !running.equals(wanted);
      boolean restarting = !suspended && running != null && !running.equals(r.getSettledRevision());
      boolean stuck = r != null && RolloutStatus.STUCK.equals(r.getState());
      facts.add(new RolloutGate.Member(
          name, waiting, restarting, !suspended && verdict == Verdict.CONSISTENT, stuck,
          suspended ? "suspended" : verdict.reason()));
    }
    return facts;
  }

  /**
   * Whose repair turn it is: the member that has it keeps it while it is still Diverged and being
   * repaired; else the first Diverged member (by name) with self-heal on, while a strict majority
   * holds the reference root. One member of a lattice at a time.
   */
  public static Optional<String> healing(
      List<LatticeNode> members, LatticeJudgement judgement, LatticeSettings settings, String holder) {
    Map<String, LatticeNode> byName = new HashMap<>();
    members.forEach(m -> byName.put(m.getMetadata().getName(), m));
    if (holder != null && byName.containsKey(holder) && repairable(byName.get(holder), judgement, settings)) {
      return Optional.of(holder);
    }
    if (judgement.referenceRoot() == null || judgement.agreeing() * 2 <= judgement.total()) {
      return Optional.empty();
    }
    return members.stream()
        .filter(m -> repairable(m, judgement, settings))
        .map(m -> m.getMetadata().getName())
        .findFirst();
  }

  private static boolean repairable(LatticeNode m, LatticeJudgement judgement, LatticeSettings settings) {
    SelfHealStatus heal = m.getStatus() == null ? null : m.getStatus().getSelfHeal();
    return settings.selfHealing(m)
        && judgement.of(m.getMetadata().getName()).verdict() == Verdict.DIVERGED
        && (heal == null || !SelfHealStatus.GAVE_UP.equals(heal.getState()));
  }

  /**
   * Which members reach which, from each member's last answer (the external members' too): its
   * peers, matched to members by the node name they reported or by address.
   */
  public Connectivity connectivity(List<LatticeNode> members, List<NodeTarget> externals) {
    Map<String, String> byUrl = new HashMap<>();
    Set<String> names = new HashSet<>();
    Map<String, ResourceID> ids = new java.util.LinkedHashMap<>();
    for (LatticeNode m : members) {
      ids.put(m.getMetadata().getName(), ResourceID.fromResource(m));
    }
    for (NodeTarget e : externals) {
      names.add(e.name());
      byUrl.put(e.baseUrl(), e.name());
      ids.put(e.name(), e.id());
    }
    for (LatticeNode m : members) {
      String name = m.getMetadata().getName();
      String namespace = m.getMetadata().getNamespace();
      names.add(name);
      byUrl.put(resolver.baseUrl(name, namespace), name);
      byUrl.put(ResourceNames.nodeUrl(name, namespace), name);
    }
    Map<String, List<Connectivity.Link>> links = new HashMap<>();
    for (Map.Entry<String, ResourceID> m : ids.entrySet()) {
      Optional<NodeReport> report = reports.latest(m.getValue());
      if (report.isEmpty() || !report.get().reachable() || report.get().observation() == null) {
        continue;
      }
      List<Connectivity.Link> own = new ArrayList<>();
      for (NodeObservation.PeerLink peer : report.get().observation().links()) {
        String to = peer.name() != null && names.contains(peer.name()) ? peer.name() : byUrl.get(peer.url());
        if (to != null && !Objects.equals(to, m.getKey())) {
          own.add(new Connectivity.Link(to, peer.p2p(), peer.httpError()));
        }
      }
      links.put(m.getKey(), own);
    }
    return new Connectivity(links);
  }
}
