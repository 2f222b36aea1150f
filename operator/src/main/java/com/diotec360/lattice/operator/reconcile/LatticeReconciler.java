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
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeProber;
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
  private final EventRecorder events;
  private final Clock clock;
  private final Map<String, String> announcedPhase = new ConcurrentHashMap<>();
  /** Lattices a Warning was raised for (split, lost quorum), until they are Healthy again. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final AtomicReference<InformerEventSource<LatticeNode, Lattice>> members = new AtomicReference<>();

  public LatticeReconciler(
      OperatorConfig config,
      LatticeJudge judge,
      NodeProber prober,
      NodeAddressResolver resolver,
      LatticeValidator validator,
      LatticeDecisions decisions,
      EventRecorder events,
      Clock clock) {
    this.config = config;
    this.judge = judge;
    this.prober = prober;
    this.facts = new LatticeFacts(prober, resolver);
    this.validator = validator;
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
    if (problems.isEmpty()) {
      var workflow = context.managedWorkflowAndDependentResourceContext();
      workflow.put(LatticePlan.KEY, new LatticePlan(lattice, members, settings));
      workflow.reconcileManagedWorkflow();
    } else if (!problems.equals(invalidBefore(lattice))) {
      LOG.warn("{}/{} has an invalid spec: {}", lattice.getMetadata().getNamespace(),
          lattice.getMetadata().getName(), String.join("; ", problems));
      events.warning(lattice, Reason.INVALID_SPEC, String.join("; ", problems));
    }
    LatticeDecision decision = decide(lattice, members, settings, problems, now);
    LatticeStatus status = aggregator.status(lattice, members, decision, now);
    announce(lattice, status.getPhase());
    Optional<Duration> wakeUp = writeIfWorth(lattice, status, context, now);
    List<Duration> wakeUps = new ArrayList<>();
    wakeUp.ifPresent(wakeUps::add);
    recheck(decision.judgement(), now).ifPresent(wakeUps::add);
    UpdateControl<Lattice> control = UpdateControl.noUpdate();
    return wakeUps.stream().min(Duration::compareTo).map(control::rescheduleAfter).orElse(control);
  }

  /**
   * Judges the members, reads who reaches whom, gives the restart and repair turns, and publishes
   * the decision for the members to act on.
   */
  private LatticeDecision decide(
      Lattice lattice, List<LatticeNode> members, LatticeSettings settings, List<String> problems,
      Instant now) {
    String namespace = lattice.getMetadata().getNamespace();
    String name = lattice.getMetadata().getName();
    Optional<LatticeDecision> before = decisions.of(namespace, name);
    LatticeJudgement judgement = judge.judge(facts.views(members, before), settings.expectedRoot(), now);
    Connectivity connectivity = facts.connectivity(members);
    LatticeStatus stored = lattice.getStatus();
    Set<String> allowedBefore = stored == null || stored.getRollout() == null
        ? Set.of()
        : new HashSet<>(stored.getRollout().restartingOrNone());
    RolloutGate.Plan rollout =
        RolloutGate.plan(LatticeFacts.rollout(members, judgement), allowedBefore, settings.rolloutPaused());
    Optional<String> healing = LatticeFacts.healing(
        members, judgement, settings, stored == null ? null : stored.getHealing());
    LatticeDecision decision =
        new LatticeDecision(judgement, connectivity, rollout, healing, List.copyOf(problems), settings);
    decisions.publish(namespace, name, decision);
    return decision;
  }

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
      if (stored != null && !java.util.Objects.equals(status.getReferenceRoot(), stored.getReferenceRoot())) {
        status.setRefreshedAt(now.toString());
      }
      StatusWrite.replace(lattice, status, context);
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
    String message = ReconcileFailure.message(error, LatticeReconciler.class);
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
      announcedPhase.remove(key(namespace, name));
      warned.remove(key(namespace, name));
      return DeleteControl.defaultDelete();
    }
    LatticeSettings settings = LatticeSettings.of(lattice, members, config.rolloutDeadline());
    decide(lattice, members, settings, validator.problems(lattice, members), now);
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
    return List.of(nodes, new ReportChanges(prober));
  }

  private static String key(String namespace, String lattice) {
    return namespace + "/" + lattice;
  }

  /** Wakes a lattice when the prober sees one of its members change. */
  private static final class ReportChanges extends AbstractEventSource<Void, Lattice> {
    private final NodeProber prober;

    ReportChanges(NodeProber prober) {
      super(Void.class, "lattice-reports");
      this.prober = prober;
    }

    @Override
    public Set<Void> getSecondaryResources(Lattice primary) {
      return Set.of();
    }

    @Override
    public void start() {
      super.start();
      prober.onChange(target -> {
        if (getEventHandler() != null && isRunning()) {
          getEventHandler().handleEvent(new Event(new ResourceID(target.lattice(), target.namespace())));
        }
      });
    }
  }
}
