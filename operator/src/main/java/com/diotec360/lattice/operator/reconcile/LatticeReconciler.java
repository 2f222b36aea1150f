package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.decision.LatticeDecisions;
import com.diotec360.lattice.operator.decision.LatticeFacts;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.judge.Connectivity;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberStatus;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.metrics.LatticeMetrics;
import com.diotec360.lattice.operator.observe.DivergenceInspector;
import com.diotec360.lattice.operator.observe.ExternalMembers;
import com.diotec360.lattice.operator.observe.NodeObservers;
import com.diotec360.lattice.operator.observe.NodeProber;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeTarget;
import com.diotec360.lattice.operator.status.DivergenceEvidence;
import com.diotec360.lattice.operator.status.ExternalMemberStatuses;
import com.diotec360.lattice.operator.validate.SpecValidator;
import com.diotec360.lattice.operator.plan.LatticePlan;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import com.diotec360.lattice.operator.plan.Membership;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeDisruptionBudgetDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticePeerListDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticePeerServiceDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeSecretDependent;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.status.LatticeStatusAggregator;
import com.diotec360.lattice.operator.validate.LatticeValidator;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one Lattice: the group's facts, judged once per change, and the objects the group
 * shares.
 *
 * <ol>
 *   <li><b>Members</b>: one rule ({@link Membership}) for the judge, the budget, the peer list and
 *       the roller. An operator-made Lattice whose members have all gone deletes itself.
 *   <li><b>Validate</b> what the schema cannot ({@link LatticeValidator}). An invalid Lattice
 *       changes nothing it owns, and its members are Invalid with its message.
 *   <li><b>Shared objects</b>: the Secret, the peers Service, the disruption budget and the one
 *       peer list, each a dependent owned by the Lattice alone.
 *   <li><b>Decide</b>: judge every member from the prober's reports ({@link LatticeJudge}), read
 *       who reaches whom, give restart turns ({@link RolloutGate}) and the repair turn, and
 *       publish the decision; the members whose share of it changed are woken ({@link
 *       LatticeDecisions}).
 *   <li><b>Status</b>, written only when something a person needs to see changed, or the moving
 *       reference root after the refresh interval ({@link LatticeStatusAggregator}); Events on
 *       phase transitions.
 * </ol>
 *
 * Deleting a Lattice never deletes its members: a finalizer holds it (Deleting=True, one Event
 * naming them) until they have gone.
 */
@ControllerConfiguration(name = LatticeReconciler.NAME, generationAwareEventProcessing = false)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "lattice-secret", type = LatticeSecretDependent.class),
      @Dependent(name = "lattice-peers", type = LatticePeerServiceDependent.class),
      @Dependent(
          name = "lattice-budget",
          type = LatticeDisruptionBudgetDependent.class,
          reconcilePrecondition = LatticeDisruptionBudgetDependent.Enabled.class),
      @Dependent(name = "lattice-peer-list", type = LatticePeerListDependent.class)
    })
public class LatticeReconciler implements Reconciler<Lattice>, Cleaner<Lattice> {

  public static final String NAME = "lattice";

  /** The index of the member informer: LatticeNodes by {@code namespace/lattice}. */
  static final String BY_LATTICE = "by-lattice";

  private static final Logger LOG = LoggerFactory.getLogger(LatticeReconciler.class);

  /**
   * The calls beyond the workflow: the informer on LatticeNodes (list, watch), and removing a
   * Lattice the operator made once its last member has gone.
   */
  public static final List<com.diotec360.lattice.operator.rbac.Permission> PERMISSIONS =
      List.of(
          new com.diotec360.lattice.operator.rbac.Permission(LatticeNode.GROUP, "latticenodes", "list"),
          new com.diotec360.lattice.operator.rbac.Permission(LatticeNode.GROUP, "latticenodes", "watch"),
          new com.diotec360.lattice.operator.rbac.Permission(LatticeNode.GROUP, "lattices", "delete"));

  private final OperatorConfig config;
  private final LatticeJudge judge;
  private final LatticeFacts facts;
  private final LatticeValidator validator;
  private final LatticeStatusAggregator aggregator;
  private final LatticeDecisions decisions;
  private final NodeProber prober;
  private final ExternalMembers externals;
  private final ExternalMemberReader externalReader;
  private final DivergenceEvidence evidence;
  private final DivergenceInspector inspector;
  private final LatticeMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private final Map<String, String> announcedPhase = new ConcurrentHashMap<>();
  /** The verdict last announced per external member ({@code namespace/lattice/name}). */
  private final Map<String, String> announcedExternal = new ConcurrentHashMap<>();
  /** Lattices a Warning was raised for (split, lost quorum), until they are Healthy again. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final AtomicReference<InformerEventSource<LatticeNode, Lattice>> members = new AtomicReference<>();

  public LatticeReconciler(
      OperatorConfig config,
      LatticeJudge judge,
      NodeObservers observers,
      SpecValidator.ClusterView cluster,
      LatticeDecisions decisions,
      LatticeMetrics metrics,
      EventRecorder events,
      Clock clock) {
    this.config = config;
    this.judge = judge;
    this.prober = observers.prober();
    this.externals = observers.externals();
    this.externalReader = new ExternalMemberReader(cluster);
    this.evidence = new DivergenceEvidence(observers.inspector(), observers.externals());
    this.inspector = observers.inspector();
    this.metrics = metrics;
    this.facts = new LatticeFacts(observers.prober(), observers.resolver());
    this.validator = new LatticeValidator(cluster);
    this.aggregator = new LatticeStatusAggregator(config.statusRefresh());
    this.decisions = decisions;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Lattice> reconcile(Lattice lattice, Context<Lattice> context) {
    Instant now = Instant.now(clock);
    List<LatticeNode> all = nodesNaming(lattice);
    List<LatticeNode> members = Membership.of(all.stream(), lattice.getMetadata().getName());
    if (members.isEmpty() && hadMembers(lattice) && lattice.madeByOperator()) {
      // The operator made it for its members, and the last one has gone.
      LOG.info("{}/{}: its last member has gone; removing the Lattice the operator made for it",
          lattice.getMetadata().getNamespace(), lattice.getMetadata().getName());
      context.getClient().resource(lattice).delete();
      return UpdateControl.noUpdate();
    }
    LatticeSettings settings = LatticeSettings.of(lattice, members, config.rolloutDeadline());
    List<String> problems = validator.problems(lattice, members);
    ExternalMemberReader.Read external = observeExternal(lattice, problems);
    if (problems.isEmpty()) {
      var workflow = context.managedWorkflowAndDependentResourceContext();
      workflow.put(LatticePlan.KEY, new LatticePlan(lattice, members, settings));
      workflow.reconcileManagedWorkflow();
    } else if (!problems.equals(invalidBefore(lattice))) {
      LOG.warn("{}/{} has an invalid spec: {}", lattice.getMetadata().getNamespace(),
          lattice.getMetadata().getName(), String.join("; ", problems));
      events.warning(lattice, Reason.INVALID_SPEC, String.join("; ", problems));
    }
    LatticeDecision decision = decide(lattice, members, external, settings, problems, now);
    List<ExternalMemberStatus> externalStatus = judgeExternal(lattice, external, decision);
    LatticeStatus status = aggregator.status(lattice, members, externalStatus, decision, now);
    announce(lattice, status.getPhase());
    announceExternal(lattice, externalStatus);
    Optional<Duration> wakeUp = writeIfWorth(lattice, status, context, now);
    List<Duration> wakeUps = new ArrayList<>();
    wakeUp.ifPresent(wakeUps::add);
    recheck(decision.judgement(), now).ifPresent(wakeUps::add);
    UpdateControl<Lattice> control = UpdateControl.noUpdate();
    return wakeUps.stream().min(Duration::compareTo).map(control::rescheduleAfter).orElse(control);
  }

  /**
   * The external members from now on: what the prober probes for this lattice, with their headers
   * and CA read from their Secrets. An invalid Lattice's external members are not probed (a name
   * may clash with a LatticeNode's).
   */
  private ExternalMemberReader.Read observeExternal(Lattice lattice, List<String> problems) {
    String namespace = lattice.getMetadata().getNamespace();
    String name = lattice.getMetadata().getName();
    if (!problems.isEmpty()) {
      externals.remove(namespace, name);
      return new ExternalMemberReader.Read(List.of(), Map.of());
    }
    ExternalMemberReader.Read read = externalReader.read(lattice);
    externals.set(namespace, name, read.members());
    return read;
  }

  /**
   * Judges the members, the external ones with them, reads who reaches whom, gives the restart
   * and repair turns (to LatticeNodes only: the operator never writes to an external member), and
   * publishes the decision for the members to act on.
   */
  private LatticeDecision decide(
      Lattice lattice, List<LatticeNode> members, ExternalMemberReader.Read external,
      LatticeSettings settings, List<String> problems, Instant now) {
    String namespace = lattice.getMetadata().getNamespace();
    String name = lattice.getMetadata().getName();
    Optional<LatticeDecision> before = decisions.of(namespace, name);
    List<String> externalNames = problems.isEmpty()
        ? ExternalMemberReader.of(lattice).stream().map(ExternalMember::getName).toList()
        : List.of();
    List<MemberView> views = new ArrayList<>(facts.views(members, before));
    views.addAll(facts.externalViews(namespace, name, externalNames, before,
        lattice.getStatus() == null ? null : lattice.getStatus().getExternalMembers()));
    LatticeJudgement judgement = judge.judge(views, settings.expectedRoot(), now);
    Connectivity connectivity = facts.connectivity(members, external.members().stream()
        .map(m -> NodeTarget.external(namespace, name, m.name(), m.url()))
        .toList());
    LatticeStatus stored = lattice.getStatus();
    Set<String> allowedBefore = stored == null || stored.getRollout() == null
        ? Set.of()
        : new HashSet<>(stored.getRollout().restartingOrNone());
    RolloutGate.Plan rollout =
        RolloutGate.plan(LatticeFacts.rollout(members, judgement), allowedBefore, settings.rolloutPaused());
    Optional<String> healing = LatticeFacts.healing(
        members, judgement, settings, stored == null ? null : stored.getHealing());
    LatticeDecision decision = new LatticeDecision(
        judgement, connectivity, rollout, healing, List.copyOf(problems), settings, Set.copyOf(externalNames));
    decisions.publish(namespace, name, decision);
    return decision;
  }

  /**
   * The external members' entries of the status, with their evidence (asked for off this thread
   * when Diverged or Split) and their metrics, which carry {@code location="external"}.
   */
  private List<ExternalMemberStatus> judgeExternal(
      Lattice lattice, ExternalMemberReader.Read external, LatticeDecision decision) {
    String namespace = lattice.getMetadata().getNamespace();
    String name = lattice.getMetadata().getName();
    List<ExternalMemberStatuses.Seen> seen = new ArrayList<>();
    for (ExternalMember spec : decision.invalid() ? List.<ExternalMember>of() : ExternalMemberReader.of(lattice)) {
      ResourceID id = NodeTarget.externalId(namespace, name, spec.getName());
      String problem = external.problems().get(spec.getName());
      NodeReport report = problem == null ? prober.latest(id).orElse(null) : null;
      Verdict verdict = Optional.ofNullable(decision.judgement().members().get(spec.getName()))
          .map(j -> j.verdict()).orElse(Verdict.UNOBSERVED);
      DivergenceStatus divergence =
          evidence.of(id, spec.getName(), name, verdict, decision.judgement()).orElse(null);
      seen.add(new ExternalMemberStatuses.Seen(spec, report, problem, divergence));
    }
    List<ExternalMemberStatus> statuses = ExternalMemberStatuses.of(
        seen, decision.judgement(), lattice.getStatus() == null ? null : lattice.getStatus().getExternalMembers());
    for (int i = 0; i < seen.size(); i++) {
      metrics.judgedExternal(NodeTarget.externalId(namespace, name, seen.get(i).spec().getName()),
          statuses.get(i).getConsistency(), seen.get(i).divergence());
    }
    return statuses;
  }

  /**
   * Events on the Lattice when an external member stops answering, is judged Diverged (or Split),
   * answers again or holds the reference root again: its own object is outside the cluster.
   */
  private void announceExternal(Lattice lattice, List<ExternalMemberStatus> statuses) {
    String prefix = key(lattice.getMetadata().getNamespace(), lattice.getMetadata().getName()) + "/";
    Set<String> current = new HashSet<>();
    for (ExternalMemberStatus e : statuses == null ? List.<ExternalMemberStatus>of() : statuses) {
      String k = prefix + e.getName();
      current.add(k);
      String state = Boolean.FALSE.equals(e.getReachable()) ? UNREACHABLE
          : e.getDivergedSince() != null ? DIVERGED
          : Verdict.CONSISTENT.reason().equals(e.getConsistency()) ? CONSISTENT : "Other";
      String before = announcedExternal.put(k, state);
      if (state.equals(before)) {
        continue;
      }
      String who = "External member " + e.getName() + " (" + e.getUrl() + ")";
      if (UNREACHABLE.equals(state)) {
        events.warning(lattice, Reason.NODE_UNREACHABLE, who + " " + e.getMessage()
            + "; it counts as a member that does not answer, never as divergent");
      } else if (DIVERGED.equals(state)) {
        events.warning(lattice, Reason.MERKLE_DIVERGENCE, who + " is " + e.getConsistency()
            + (Verdict.SPLIT.reason().equals(e.getConsistency())
                ? ": the members hold different Merkle roots past the grace period and none has a majority"
                : ": its Merkle root differs from the lattice's reference past the grace period"));
      } else if (UNREACHABLE.equals(before)) {
        events.normal(lattice, Reason.NODE_RECOVERED, who + " answers again");
      } else if (DIVERGED.equals(before) && CONSISTENT.equals(state)) {
        events.normal(lattice, Reason.MERKLE_CONVERGED, who + " holds the reference root again");
      }
    }
    announcedExternal.keySet().removeIf(k -> k.startsWith(prefix) && !current.contains(k));
  }

  private static final String UNREACHABLE = "Unreachable";
  private static final String DIVERGED = "Diverged";
  private static final String CONSISTENT = "Consistent";

  /** The LatticeNodes naming this lattice, members or leaving. */
  private List<LatticeNode> nodesNaming(Lattice lattice) {
    return members.get().byIndex(BY_LATTICE,
        key(lattice.getMetadata().getNamespace(), lattice.getMetadata().getName()));
  }

  /** True once the Lattice's status has counted a member: a new Lattice is not removed before its first. */
  private static boolean hadMembers(Lattice lattice) {
    return lattice.getStatus() != null && lattice.getStatus().getMembers() != null
        && lattice.getStatus().getMembers() > 0;
  }

  private static List<String> invalidBefore(Lattice lattice) {
    LatticeStatus status = lattice.getStatus();
    if (status == null || !LatticeStatus.INVALID.equals(status.getPhase())) {
      return List.of();
    }
    return Conditions.find(status.getConditions(), LatticeStatusAggregator.READY)
        .map(c -> List.of(c.getMessage().split("; ")))
        .orElse(List.of());
  }

  /** When the judgement can change on its own (a grace period runs out). */
  private static Optional<Duration> recheck(LatticeJudgement judgement, Instant now) {
    return judgement.members().values().stream()
        .map(j -> j.recheckAfter(now))
        .flatMap(Optional::stream)
        .min(Duration::compareTo)
        .map(d -> d.plusMillis(100));
  }

  /** Events on the lattice's phase transitions that a person needs to hear about. */
  private void announce(Lattice lattice, String phase) {
    String key = key(lattice.getMetadata().getNamespace(), lattice.getMetadata().getName());
    String before = announcedPhase.put(key, phase);
    if (before == null) {
      before = lattice.getStatus() == null ? null : lattice.getStatus().getPhase();
    }
    if (phase.equals(before)) {
      return;
    }
    String name = lattice.getMetadata().getName();
    // After a restart, a lattice stored as Split was warned about by the previous leader.
    boolean warnedBefore = warned.contains(key) || LatticeStatus.SPLIT.equals(before);
    if (LatticeStatus.SPLIT.equals(phase)) {
      warned.add(key);
      events.warning(lattice, Reason.LATTICE_SPLIT, "Lattice " + name + " is split: its members hold"
          + " different Merkle roots and no root is held by a strict majority");
    } else if (LatticeStatus.NO_QUORUM.equals(phase)
        && (LatticeStatus.HEALTHY.equals(before) || LatticeStatus.DEGRADED.equals(before))) {
      warned.add(key);
      events.warning(lattice, Reason.LATTICE_NO_QUORUM, "Lattice " + name + " has lost its quorum:"
          + " no Merkle root is held by a strict majority of its members");
    } else if (LatticeStatus.HEALTHY.equals(phase) && warnedBefore) {
      // Only after a Warning: a lattice coming up (NoQuorum until its members answer) is not news.
      warned.remove(key);
      events.normal(lattice, Reason.LATTICE_HEALTHY, "Every member of lattice " + name
          + " holds the reference root again");
    }
  }

  /**
   * Writes the status when it is worth it ({@link LatticeStatusAggregator#worthWriting}); else,
   * when only a moving value waits, says when to look again to write it.
   */
  private Optional<Duration> writeIfWorth(
      Lattice lattice, LatticeStatus status, Context<Lattice> context, Instant now) {
    LatticeStatus stored = lattice.getStatus();
    if (aggregator.worthWriting(stored, status, now)) {
      StatusWrite.replace(lattice, aggregator.refreshed(stored, status, now), context);
      return Optional.empty();
    }
    return aggregator.refreshAt(stored, status)
        .map(at -> Duration.between(now, at).plusMillis(100))
        .map(d -> d.isNegative() ? Duration.ZERO : d);
  }

  /**
   * A reconcile that failed with an error a user can cause (a shared object the API server
   * refuses, a missing permission) shows on the Lattice as Ready=False/ReconcileError with the
   * server's words, and as one Warning Event per distinct message; JOSDK retries as usual. Races
   * and a busy API server are retried quietly first.
   */
  @Override
  public ErrorStatusUpdateControl<Lattice> updateErrorStatus(
      Lattice lattice, Context<Lattice> context, Exception error) {
    boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(false);
    if (ReconcileFailure.isShutdown(error) || (ReconcileFailure.isTransient(error) && !lastAttempt)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String message = ReconcileFailure.message(error, LatticeReconciler.class, lattice);
    LatticeStatus status = aggregator.failed(lattice, message, Instant.now(clock));
    if (!status.equals(lattice.getStatus())) {
      LOG.warn("{}/{} could not be reconciled: {}", lattice.getMetadata().getNamespace(),
          lattice.getMetadata().getName(), message);
      events.warning(lattice, Reason.RECONCILE_ERROR, message);
      StatusWrite.replace(lattice, status, context);
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * A Lattice deleted while members remain waits for them (Deleting=True, one Event naming them)
   * and keeps judging them; it never deletes them. It goes once they have.
   */
  @Override
  public DeleteControl cleanup(Lattice lattice, Context<Lattice> context) {
    Instant now = Instant.now(clock);
    String namespace = lattice.getMetadata().getNamespace();
    String name = lattice.getMetadata().getName();
    List<LatticeNode> members = Membership.of(nodesNaming(lattice).stream(), name);
    if (members.isEmpty()) {
      decisions.forget(namespace, name);
      externals.remove(namespace, name);
      announcedExternal.keySet().removeIf(k -> k.startsWith(key(namespace, name) + "/"));
      announcedPhase.remove(key(namespace, name));
      warned.remove(key(namespace, name));
      return DeleteControl.defaultDelete();
    }
    LatticeSettings settings = LatticeSettings.of(lattice, members, config.rolloutDeadline());
    List<String> problems = validator.problems(lattice, members);
    decide(lattice, members, observeExternal(lattice, problems), settings, problems, now);
    LatticeStatus status = aggregator.deleting(lattice, members, now);
    if (!status.equals(lattice.getStatus())) {
      String message = LatticeStatusAggregator.membersRemain(lattice, members);
      LOG.warn("{}/{}: {}", namespace, name, message);
      events.warning(lattice, Reason.MEMBERS_REMAIN, message);
      lattice.setStatus(status);
      context.getClient().resource(lattice).updateStatus();
    }
    return DeleteControl.noFinalizerRemoval();
  }

  /**
   * Besides the dependents' informers: the LatticeNodes, so a member joining, leaving or changing
   * (its spec, or its status' rollout and evidence) wakes its lattice; and the prober's reports, so
   * a member's new root, mode or reachability makes the lattice judge again.
   */
  @Override
  public List<EventSource<?, Lattice>> prepareEventSources(EventSourceContext<Lattice> context) {
    var configuration =
        InformerEventSourceConfiguration.from(LatticeNode.class, Lattice.class)
            .withName("lattice-nodes")
            .withSecondaryToPrimaryMapper(node -> {
              String lattice = Membership.latticeOf(node);
              return lattice == null
                  ? Set.of()
                  : Set.of(new ResourceID(lattice, node.getMetadata().getNamespace()));
            })
            .build();
    var nodes = new InformerEventSource<>(configuration, context);
    nodes.addIndexers(Map.of(BY_LATTICE, node -> {
      String lattice = Membership.latticeOf(node);
      return lattice == null ? List.of() : List.of(key(node.getMetadata().getNamespace(), lattice));
    }));
    members.set(nodes);
    return List.of(nodes, new ReportChanges(prober, inspector));
  }

  private static String key(String namespace, String lattice) {
    return namespace + "/" + lattice;
  }

  /** Wakes a lattice when the prober sees one of its members change. */
  private static final class ReportChanges extends AbstractEventSource<Void, Lattice> {
    private final NodeProber prober;
    private final DivergenceInspector inspector;

    ReportChanges(NodeProber prober, DivergenceInspector inspector) {
      super(Void.class, "lattice-reports");
      this.prober = prober;
      this.inspector = inspector;
    }

    @Override
    public Set<Void> getSecondaryResources(Lattice primary) {
      return Set.of();
    }

    @Override
    public void start() {
      super.start();
      prober.onChange(target -> wake(target.lattice(), target.namespace()));
      // Evidence about an external member is ready: its lattice puts it in status.
      inspector.onFound(id -> {
        if (NodeTarget.isExternal(id)) {
          wake(NodeTarget.latticeOfExternal(id), id.getNamespace().orElse(""));
        }
      });
    }

    private void wake(String lattice, String namespace) {
      if (getEventHandler() != null && isRunning()) {
        getEventHandler().handleEvent(new Event(new ResourceID(lattice, namespace)));
      }
    }
  }
}
