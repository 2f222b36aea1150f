package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.act.MemberActions;
import com.diotec360.lattice.operator.act.RolloutStep;
import com.diotec360.lattice.operator.act.Rollouts;
import com.diotec360.lattice.operator.act.SelfHealer;
import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.LatticeSecrets;
import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.decision.LatticeDecisions;
import com.diotec360.lattice.operator.events.Deprecations;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.events.TransitionEvents;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.NodeObservers;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeReportEventSource;
import com.diotec360.lattice.operator.plan.Membership;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.plan.NodePlanner;
import com.diotec360.lattice.operator.reconcile.dependents.AliasEndpointSlicesDependent;
import com.diotec360.lattice.operator.reconcile.dependents.DnsAliasServicesDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeConfigMapDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeServiceDependent;
import com.diotec360.lattice.operator.reconcile.dependents.StateClaimDependent;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.status.DivergenceEvidence;
import com.diotec360.lattice.operator.status.StatusAggregator;
import com.diotec360.lattice.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one LatticeNode: checks what the schema cannot, plans the node, runs the workflow of
 * its own dependents (each owned object is one of them), and assembles its status from what is
 * true of this member. It judges nothing about the lattice: its verdict, its turn to restart and
 * its turn to be repaired come from the lattice's one decision ({@link LatticeDecisions}, made by
 * {@link LatticeReconciler}). It never probes a node itself; the only calls to its node are
 * actions: the declarative sync-mode switch and self-heal.
 */
@ControllerConfiguration(
    name = LatticeNodeReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = NodeChangeFilter.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "config", type = NodeConfigMapDependent.class),
      @Dependent(name = "state", type = StateClaimDependent.class),
      @Dependent(
          name = "deployment",
          type = NodeDeploymentDependent.class,
          dependsOn = {"config", "state"}),
      @Dependent(name = "service", type = NodeServiceDependent.class),
      @Dependent(name = "dns-aliases", type = DnsAliasServicesDependent.class),
      @Dependent(name = "alias-addresses", type = AliasEndpointSlicesDependent.class)
    })
public class LatticeNodeReconciler implements Reconciler<LatticeNode> {

  public static final String NAME = "latticenode";
  private static final Logger LOG = LoggerFactory.getLogger(LatticeNodeReconciler.class);

  /**
   * The calls beyond the workflow: the informers on Lattices and on the lattice's Secret and peer
   * lists (list, watch), making a Lattice that does not exist ({@link LatticeMaker}), and deleting
   * the per-node peer list of an earlier release ({@link LegacyPeerLists}).
   */
  public static final List<com.diotec360.lattice.operator.rbac.Permission> PERMISSIONS =
      List.of(
          new com.diotec360.lattice.operator.rbac.Permission(LatticeNode.GROUP, "lattices", "list"),
          new com.diotec360.lattice.operator.rbac.Permission(LatticeNode.GROUP, "lattices", "watch"),
          new com.diotec360.lattice.operator.rbac.Permission(LatticeNode.GROUP, "lattices", "create"),
          new com.diotec360.lattice.operator.rbac.Permission("", "secrets", "list"),
          new com.diotec360.lattice.operator.rbac.Permission("", "secrets", "watch"),
          new com.diotec360.lattice.operator.rbac.Permission("", "configmaps", "list"),
          new com.diotec360.lattice.operator.rbac.Permission("", "configmaps", "watch"),
          new com.diotec360.lattice.operator.rbac.Permission("", "configmaps", "delete"));

  /** How soon a node whose Deployment waits for its lattice's shared objects looks again. */
  static final Duration SHARED_OBJECTS_RECHECK = Duration.ofSeconds(1);

  private final OperatorConfig config;
  private final NodePlanner planner;
  private final SpecValidator validator;
  private final StatusAggregator statusAggregator;
  private final Rollouts rollouts;
  private final EventRecorder events;
  private final Clock clock;
  private final NodeObservers observers;
  private final LatticeDecisions decisions;
  private final TransitionEvents transitions;
  private final MemberActions actions;
  private final DivergenceEvidence evidence;
  private final DeletedNodes deleted;
  private final LatticeMaker latticeMaker;
  private final Deprecations deprecations;
  private final LegacyPeerLists legacyPeerLists = new LegacyPeerLists();
  private final AtomicReference<LatticeObjects> shared = new AtomicReference<>();

  /**
   * @param observers what is known of the running nodes (read, never written here)
   * @param decisions the lattices' decisions, made by {@link LatticeReconciler}
   * @param transitions announces what flipped in a member's status
   * @param actions the calls to a node: sync-mode switch, self-heal
   * @param deleted where this reconciler's per-node memory registers to be forgotten
   */
  public LatticeNodeReconciler(
      OperatorConfig config,
      SpecValidator validator,
      EventRecorder events,
      Clock clock,
      NodeObservers observers,
      LatticeDecisions decisions,
      TransitionEvents transitions,
      MemberActions actions,
      DeletedNodes deleted) {
    this.config = config;
    this.planner = new NodePlanner(config);
    this.statusAggregator = new StatusAggregator(config.startupDeadline(), config.statusRefresh());
    this.rollouts = new Rollouts(config.probeInterval());
    this.validator = validator;
    this.events = events;
    this.clock = clock;
    this.observers = observers;
    this.decisions = decisions;
    this.transitions = transitions;
    this.actions = actions;
    this.evidence = new DivergenceEvidence(observers.inspector(), observers.externals());
    this.deleted = deleted;
    this.latticeMaker = new LatticeMaker();
    this.deprecations = new Deprecations(events);
    deleted.onDelete(rollouts::forget);
    deleted.onDelete(deprecations::forget);
    deleted.onDelete(evidence::forget);
  }

  @Override
  public UpdateControl<LatticeNode> reconcile(LatticeNode node, Context<LatticeNode> context) {
    Instant now = Instant.now(clock);
    String namespace = node.getMetadata().getNamespace();
    String latticeName = node.getSpec().getLattice();
    List<LatticeNode> neighbours = context.getPrimaryCache().list(namespace).toList();
    LatticeObjects lattice = shared.get();
    Optional<Lattice> group = lattice.lattice(namespace, latticeName);

    // 1. What the schema cannot check: nothing is written for an invalid node, not even its
    //    lattice's Lattice.
    List<String> problems = new ArrayList<>(validator.problems(node, neighbours, group));
    if (!problems.isEmpty()) {
      return invalid(node, problems, now, context);
    }

    // 2. The Lattice this node names, made when there is none; a Lattice that cannot be applied
    //    stops its members too.
    if (group.isEmpty()) {
      latticeMaker.make(node, context.getClient(), () -> lattice.lattice(namespace, latticeName).isPresent(), now);
    } else {
      latticeMaker.seen(group.get());
    }
    Optional<LatticeDecision> decision = decisions.of(namespace, latticeName);
    if (decision.filter(LatticeDecision::invalid).isPresent()) {
      return invalid(node, List.of("Lattice '" + latticeName + "' cannot be applied: "
          + decision.get().problemText() + " (kubectl describe lat " + latticeName + ")"), now, context);
    }
    group.ifPresent(g -> deprecations.check(node, g));

    // 3. Plan once; take this member's share of the lattice's decision (no judging here).
    NodePlan plan = planner.plan(node);
    Optional<Deployment> deployment = context.getSecondaryResourcesAsStream(Deployment.class).findFirst();
    ResourceID id = ResourceID.fromResource(node);
    if (statusAggregator.becomesAvailable(node, deployment)) {
      // Probes that failed while the pod was starting are not an outage: start counting afresh.
      observers.prober().forgetReport(id);
    }
    Optional<NodeReport> report = observers.prober().latest(id);
    Optional<LatticeDecision.ForMember> share = decision.flatMap(d -> d.forMember(node.getMetadata().getName()));
    Optional<LatticeJudgement> judgement = decision.map(LatticeDecision::judgement);
    DivergenceStatus divergence = share
        .flatMap(s -> evidence.of(id, latticeName, s.judgement().verdict(), judgement.get()))
        .orElse(null);

    // 4. Let each dependent make its owned object match the plan; a new pod template waits for
    //    the lattice's roller. A paused node's objects are left as they are.
    //    The pod refers to the lattice's Secret and peer list: until both exist, a new node
    //    waits, and a running one keeps the template it runs.
    boolean latticeReady = lattice.exist(namespace, latticeName);
    Deployment built = NodeDeploymentDependent.build(node, plan);
    String wanted = NodeDeploymentDependent.revision(built);
    boolean runsWanted = deployment.map(live -> NodeDeploymentDependent.sameRevision(live, built)).orElse(false);
    RolloutStep step = latticeReady
        ? rollouts.step(node, wanted, deployment, runsWanted, share)
        : RolloutStep.waitForLattice(wanted, latticeName);
    boolean paused = node.paused();
    if (!paused && (latticeReady || deployment.isPresent())) {
      var workflow = context.managedWorkflowAndDependentResourceContext();
      workflow.put(NodePlan.KEY, plan);
      workflow.put(RolloutStep.KEY, step);
      workflow.reconcileManagedWorkflow();
      deployment = context.getSecondaryResourcesAsStream(Deployment.class).findFirst();
      legacyPeerLists.removeUnmounted(node, deployment, lattice, context.getClient());
    }
    boolean waitsForLattice = !paused && !latticeReady;

    // Opt-in repair (an action on the node, like the sync-mode switch); paused nodes are left alone.
    Optional<Secret> latticeSecret = lattice.secret(namespace, latticeName);
    Verdict verdict = share.map(s -> s.judgement().verdict()).orElse(null);
    boolean selfHealing = decision.map(d -> d.settings().selfHealing(node)).orElse(false);
    SelfHealer.Outcome heal =
        paused || share.isEmpty()
            ? new SelfHealer.Outcome(node.getStatus() == null ? null : node.getStatus().getSelfHeal(), Optional.empty())
            : actions.healer().heal(node, selfHealing, share.get(), decision.get().forRepair(), report,
                latticeSecret.flatMap(LatticeSecrets::token));

    // 5. One status pass against the stored status; announce what flipped; write if worth it.
    Duration deadline = decision.map(d -> d.settings().rolloutDeadline()).orElse(config.rolloutDeadline());
    Rollouts.Outcome rollout =
        rollouts.status(node, step, deployment, report, verdict, deadline, now);
    LatticeNodeStatus status =
        statusAggregator.status(
            node,
            new StatusAggregator.Observed(
                plan, deployment, report, share, judgement, rollout.status(), divergence,
                heal.status(), selfHealing),
            now);
    boolean starting = statusAggregator.starting(node, deployment, status, now);
    transitions.announce(node, node.getStatus(), status, starting, now);
    boolean switching = !paused && !node.getSpec().suspended()
        && actions.syncMode().enforce(node, report, latticeSecret);

    Optional<Duration> refresh = writeIfWorth(node, status, context, now);
    // Nothing else wakes us when the startup deadline runs out, a switch must be retried, a
    // moving value waits for its refresh, or the lattice's shared objects are not there yet.
    List<Duration> wakeUps = new ArrayList<>();
    statusAggregator
        .startupDeadlineAt(node, deployment, status, now)
        .map(at -> Duration.between(now, at).plusMillis(100))
        .ifPresent(wakeUps::add);
    if (switching) {
      wakeUps.add(observers.prober().interval());
    }
    if (waitsForLattice) {
      wakeUps.add(SHARED_OBJECTS_RECHECK);
    }
    rollout.recheckAfter().ifPresent(wakeUps::add);
    heal.recheckAfter().ifPresent(wakeUps::add);
    refresh.ifPresent(wakeUps::add);
    UpdateControl<LatticeNode> control = UpdateControl.noUpdate();
    return wakeUps.stream().min(Duration::compareTo).map(control::rescheduleAfter).orElse(control);
  }


  /**
   * A reconcile that failed with an error (a write the API server refused, a shrink of the state
   * claim, ...) shows in status as Ready=False/ReconcileError with the server's message, and as
   * one Warning Event per distinct message; JOSDK retries as usual.
   */
  @Override
  public ErrorStatusUpdateControl<LatticeNode> updateErrorStatus(
      LatticeNode node, Context<LatticeNode> context, Exception error) {
    Instant now = Instant.now(clock);
    if (ReconcileFailure.isShutdown(error)) {
      return ErrorStatusUpdateControl.noStatusUpdate(); // the operator is stopping, not failing
    }
    boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(false);
    if (ReconcileFailure.isTransient(error) && !lastAttempt) {
      // The API server is busy, or an object changed under us: the retry will do.
      LOG.debug("{}/{}: retrying after {}", node.getMetadata().getNamespace(),
          node.getMetadata().getName(), ReconcileFailure.message(error, LatticeNodeReconciler.class, node));
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String message = ReconcileFailure.message(error, LatticeNodeReconciler.class, node);
    if (!reportedAlready(node, Reason.RECONCILE_ERROR, message)) {
      LOG.warn("{}/{} could not be reconciled: {}", node.getMetadata().getNamespace(),
          node.getMetadata().getName(), message);
      events.warning(node, Reason.RECONCILE_ERROR, message);
    }
    StatusWrite.replace(node, statusAggregator.failed(node, message, now), context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private UpdateControl<LatticeNode> invalid(
      LatticeNode node, List<String> problems, Instant now, Context<LatticeNode> context) {
    LatticeNodeStatus status = statusAggregator.invalid(node, problems, now);
    String message = String.join("; ", problems);
    if (!reportedAlready(node, Reason.INVALID_SPEC, message)) {
      LOG.warn("{}/{} has an invalid spec: {}", node.getMetadata().getNamespace(), node.getMetadata().getName(), message);
      events.warning(node, Reason.INVALID_SPEC, message);
    }
    if (!status.sameAs(node.getStatus())) {
      StatusWrite.replace(node, status, context);
    }
    // Secrets and foreign Services are not watched: look again later.
    return UpdateControl.<LatticeNode>noUpdate().rescheduleAfter(config.invalidSpecRecheck());
  }

  /** True when the stored Ready condition already says this (no second Event). */
  private static boolean reportedAlready(LatticeNode node, Reason reason, String message) {
    return node.getStatus() != null
        && Conditions.find(node.getStatus().getConditions(), StatusAggregator.READY)
            .filter(c -> reason.value().equals(c.getReason()))
            .filter(c -> message.equals(c.getMessage()))
            .isPresent();
  }

  /**
   * Writes the status when it is worth a write ({@link StatusAggregator#worthWriting}): anything a
   * person needs to see changed, or the moving values (root, version) after the refresh interval.
   * Else says when a waiting moving value may be written.
   */
  private Optional<Duration> writeIfWorth(
      LatticeNode node, LatticeNodeStatus status, Context<LatticeNode> context, Instant now) {
    if (statusAggregator.worthWriting(node.getStatus(), status, now)) {
      StatusWrite.replace(node, statusAggregator.refreshed(node.getStatus(), status, now), context);
      return Optional.empty();
    }
    return statusAggregator.refreshAt(node.getStatus(), status)
        .map(at -> Duration.between(now, at).plusMillis(100))
        .map(d -> d.isNegative() ? Duration.ZERO : d);
  }

  /**
   * Besides the dependents' informers: a second view of the LatticeNodes, so that a node whose
   * names collide with another's is looked at again when that one changes; the prober's reports
   * of each node; the lattice's decisions for this member; the Lattices; and, as caches only, the
   * lattice's shared Secret and peer list (the Deployment waits for them) and the per-node peer
   * lists of earlier releases (removed once unmounted).
   */
  @Override
  public List<EventSource<?, LatticeNode>> prepareEventSources(
      EventSourceContext<LatticeNode> context) {
    AtomicReference<InformerEventSource<LatticeNode, LatticeNode>> self = new AtomicReference<>();
    var conflicts =
        InformerEventSourceConfiguration.from(LatticeNode.class, LatticeNode.class)
            .withName("name-conflicts")
            .withOnUpdateFilter(
                (updated, old) ->
                    !Objects.equals(
                        updated.getMetadata().getGeneration(), old.getMetadata().getGeneration()))
            .withSecondaryToPrimaryMapper(changed -> invalidNodesBesides(changed, self.get()))
            .build();
    var nodes = new InformerEventSource<>(conflicts, context) {
      @Override
      public void onDelete(LatticeNode node, boolean finalStateUnknown) {
        super.onDelete(node, finalStateUnknown);
        deleted.deleted(ResourceID.fromResource(node));
      }
    };
    self.set(nodes);
    var primaries = context.getPrimaryCache();
    var lattices = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Lattice.class, LatticeNode.class)
            .withName("lattices")
            .withOnUpdateFilter((updated, old) ->
                !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                    || updated.isMarkedForDeletion() != old.isMarkedForDeletion())
            .withSecondaryToPrimaryMapper(l -> primaries
                .list(l.getMetadata().getNamespace(),
                    n -> Membership.isMemberOf(n, l.getMetadata().getName()))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet()))
            .build(),
        context);
    var secrets = cacheOnly(Secret.class, "lattice-secrets", LatticeLabels.SELECT_LATTICE_SECRETS, context);
    var peerLists = cacheOnly(ConfigMap.class, "lattice-peer-lists", LatticeLabels.SELECT_LATTICE_PEER_LISTS, context);
    var legacy = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ConfigMap.class, LatticeNode.class)
            .withName("legacy-peer-lists")
            .withLabelSelector(LatticeLabels.SELECT_PEER_LISTS)
            .build(),
        context);
    shared.set(new LatticeObjects(lattices, secrets, peerLists, legacy));
    var reports =
        new NodeReportEventSource(
            observers.prober(), observers.resolver(), observers.externals(), context.getPrimaryCache(),
            observers.inspector());
    return List.of(nodes, lattices, secrets, peerLists, legacy, reports, new DecisionWakes(decisions));
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSource<R, LatticeNode> cacheOnly(
      Class<R> type, String name, String selector, EventSourceContext<LatticeNode> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, LatticeNode.class)
            .withName(name)
            .withLabelSelector(selector)
            .withSecondaryToPrimaryMapper(r -> Set.of())
            .build(),
        context);
  }

  /** The node itself, and every node of the namespace blocked on a conflict it may have freed. */
  private static Set<ResourceID> invalidNodesBesides(
      LatticeNode changed, InformerEventSource<LatticeNode, LatticeNode> cache) {
    Set<ResourceID> affected = new HashSet<>();
    affected.add(ResourceID.fromResource(changed));
    cache
        .list(changed.getMetadata().getNamespace(), LatticeNodeReconciler::isInvalid)
        .forEach(n -> affected.add(ResourceID.fromResource(n)));
    return affected;
  }

  private static boolean isInvalid(LatticeNode node) {
    return node.getStatus() != null
        && StatusAggregator.PHASE_INVALID.equals(node.getStatus().getPhase());
  }


  /** Wakes the members whose share of their lattice's decision changed. */
  private static final class DecisionWakes extends AbstractEventSource<Void, LatticeNode> {
    private final LatticeDecisions decisions;

    DecisionWakes(LatticeDecisions decisions) {
      super(Void.class, "lattice-decisions");
      this.decisions = decisions;
    }

    @Override
    public Set<Void> getSecondaryResources(LatticeNode primary) {
      return Set.of();
    }

    @Override
    public void start() {
      super.start();
      decisions.onWake(id -> {
        if (getEventHandler() != null && isRunning()) {
          getEventHandler().handleEvent(new Event(id));
        }
      });
    }
  }
}
