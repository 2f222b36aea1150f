package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.reconcile.dependents.AliasEndpointSlicesDependent;
import com.diotec360.lattice.operator.reconcile.dependents.DnsAliasServicesDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeDisruptionBudgetDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticePeerServiceDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeSecretDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeConfigMapDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeServiceDependent;
import com.diotec360.lattice.operator.reconcile.dependents.PeerListConfigMapDependent;
import com.diotec360.lattice.operator.reconcile.dependents.StateClaimDependent;
import com.diotec360.lattice.operator.judge.Connectivity;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberJudgement;
import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.merkle.MerkleComparison;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeReportEventSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one LatticeNode: checks what the schema cannot, plans the node, runs the workflow of
 * dependents (each owned object is one of them), judges the node's lattice from the prober's
 * cached reports, and assembles the status. It never probes a node itself; that is the observer's
 * job (the only call to a node from here is the declarative sync-mode switch, an action).
 */
@ControllerConfiguration(
    name = LatticeNodeReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = NodeChangeFilter.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "lattice-secret", type = LatticeSecretDependent.class),
      @Dependent(name = "lattice-peers", type = LatticePeerServiceDependent.class),
      @Dependent(name = "lattice-budget", type = LatticeDisruptionBudgetDependent.class),
      @Dependent(name = "config", type = NodeConfigMapDependent.class),
      @Dependent(name = "peer-list", type = PeerListConfigMapDependent.class),
      @Dependent(name = "state", type = StateClaimDependent.class),
      @Dependent(
          name = "deployment",
          type = NodeDeploymentDependent.class,
          dependsOn = {"lattice-secret", "config", "peer-list", "state"}),
      @Dependent(name = "service", type = NodeServiceDependent.class),
      @Dependent(name = "dns-aliases", type = DnsAliasServicesDependent.class),
      @Dependent(name = "alias-addresses", type = AliasEndpointSlicesDependent.class)
    })
public class LatticeNodeReconciler implements Reconciler<LatticeNode> {

  public static final String NAME = "latticenode";
  private static final Logger LOG = LoggerFactory.getLogger(LatticeNodeReconciler.class);

  private final OperatorConfig config;
  private final NodePlanner planner;
  private final SpecValidator validator;
  private final StatusAggregator statusAggregator;
  private final Rollouts rollouts;
  private final EventRecorder events;
  private final Clock clock;
  private final NodeWatching watching;

  public LatticeNodeReconciler(
      OperatorConfig config,
      SpecValidator validator,
      EventRecorder events,
      Clock clock,
      NodeWatching watching) {
    this.config = config;
    this.planner = new NodePlanner(config);
    this.statusAggregator = new StatusAggregator(config.startupDeadline());
    this.rollouts = new Rollouts(config.rolloutDeadline(), config.probeInterval());
    this.validator = validator;
    this.events = events;
    this.clock = clock;
    this.watching = watching;
  }

  @Override
  public UpdateControl<LatticeNode> reconcile(LatticeNode node, Context<LatticeNode> context) {
    Instant now = Instant.now(clock);
    List<LatticeNode> neighbours =
        context.getPrimaryCache().list(node.getMetadata().getNamespace()).toList();

    // 1. What the schema cannot check: names taken by other nodes, missing Secrets, one
    //    expected root per lattice. An invalid node gets a condition and nothing is written.
    List<String> problems = validator.problems(node, neighbours);
    if (!problems.isEmpty()) {
      return invalid(node, problems, now, context);
    }

    // 2. Plan once; judge the lattice from the prober's cached reports (no probe from here).
    List<LatticeNode> members =
        neighbours.stream()
            .filter(n -> node.getSpec().getLattice().equals(latticeOf(n)))
            .toList();
    NodePlan plan = planner.plan(node, members);
    Optional<Deployment> deployment =
        context.getSecondaryResourcesAsStream(Deployment.class).findFirst();
    ResourceID id = ResourceID.fromResource(node);
    if (statusAggregator.becomesAvailable(node, deployment)) {
      // Probes that failed while the pod was starting are not an outage: start counting afresh.
      watching.prober().forgetReport(id);
    }
    Optional<NodeReport> report = watching.watch().reports().latest(id);
    LatticeJudgement lattice = watching.watch().judge(node, members, now);
    MemberJudgement verdict = lattice.of(node.getMetadata().getName());

    DivergenceStatus divergence = divergence(node, lattice, verdict).orElse(null);

    // 3. Let each dependent make its owned object match the plan; a new pod template waits for
    //    the lattice's roller. A paused node's objects are left as they are.
    RolloutStep step =
        rollouts.step(
            node,
            NodeDeploymentDependent.build(node, plan),
            deployment,
            new Rollouts.Lattice(
                members, m -> deploymentOf(m, context), m -> wantedRevision(m, members), lattice));
    boolean paused = node.paused();
    if (!paused) {
      var workflow = context.managedWorkflowAndDependentResourceContext();
      workflow.put(NodePlan.KEY, plan);
      workflow.put(RolloutStep.KEY, step);
      workflow.reconcileManagedWorkflow();
      deployment = context.getSecondaryResourcesAsStream(Deployment.class).findFirst();
    }

    // Opt-in repair (an action on the node, like the sync-mode switch); paused nodes are left alone.
    Optional<Secret> latticeSecret =
        context
            .getSecondaryResourcesAsStream(Secret.class)
            .filter(s -> ResourceNames.latticeSecret(plan.lattice()).equals(s.getMetadata().getName()))
            .findFirst();
    SelfHealer.Outcome heal =
        paused
            ? new SelfHealer.Outcome(node.getStatus() == null ? null : node.getStatus().getSelfHeal(), Optional.empty())
            : watching.healer().heal(node, members, lattice, verdict.verdict(), report,
                latticeSecret.flatMap(SyncModeEnforcer::token));

    // 4. One status pass against the stored status; announce what flipped; write if it differs.
    Rollouts.Outcome rollout =
        rollouts.status(node, step, deployment, report, verdict.verdict(), now);
    LatticeNodeStatus status =
        statusAggregator.status(
            node,
            new StatusAggregator.Observed(
                plan, deployment, report, lattice, verdict, rollout.status(), divergence,
                connectivity(node, members), heal.status()),
            now);
    boolean starting = statusAggregator.starting(node, deployment, status, now);
    watching.events().announce(node, node.getStatus(), status, starting, now);
    Optional<Secret> secret =
        context
            .getSecondaryResourcesAsStream(Secret.class)
            .filter(s -> ResourceNames.latticeSecret(plan.lattice()).equals(s.getMetadata().getName()))
            .findFirst();
    boolean switching = !paused && !node.getSpec().suspended()
        && watching.enforcer().enforce(node, report, secret);

    UpdateControl<LatticeNode> control = writeIfChanged(node, status, context);
    // Nothing else wakes us when a grace period or the startup deadline runs out, or when a
    // switch must be retried.
    List<Duration> wakeUps = new ArrayList<>();
    verdict.recheckAfter(now).map(d -> d.plusMillis(100)).ifPresent(wakeUps::add);
    statusAggregator
        .startupDeadlineAt(node, deployment, status, now)
        .map(at -> Duration.between(now, at).plusMillis(100))
        .ifPresent(wakeUps::add);
    if (switching) {
      wakeUps.add(watching.prober().interval());
    }
    rollout.recheckAfter().ifPresent(wakeUps::add);
    heal.recheckAfter().ifPresent(wakeUps::add);
    return wakeUps.stream().min(Duration::compareTo).map(control::rescheduleAfter).orElse(control);
  }

  /**
   * Where a Diverged or Split member's Merkle trie differs from another member's: the evidence of a
   * comparison for the current roots, if one was made; otherwise one is asked for (it runs off this
   * thread and wakes this node when done). Compared with: a member holding the reference root, or
   * for a split lattice one on the biggest other side.
   */
  private Optional<DivergenceStatus> divergence(
      LatticeNode node, LatticeJudgement lattice, MemberJudgement verdict) {
    ResourceID id = ResourceID.fromResource(node);
    String name = node.getMetadata().getName();
    Verdict v = verdict.verdict();
    if (v != Verdict.DIVERGED && v != Verdict.SPLIT) {
      watching.inspector().forget(id);
      return Optional.empty();
    }
    String mine = lattice.roots().get(name);
    if (mine == null) {
      return Optional.empty();
    }
    Map<String, Long> sideSizes =
        lattice.roots().values().stream().collect(Collectors.groupingBy(r -> r, Collectors.counting()));
    Optional<String> other =
        lattice.roots().entrySet().stream()
            .filter(e -> !e.getKey().equals(name))
            .filter(e -> v == Verdict.SPLIT
                ? !e.getValue().equals(mine)
                : e.getValue().equals(lattice.referenceRoot()))
            .sorted(Comparator.comparing((Map.Entry<String, String> e) -> -sideSizes.get(e.getValue()))
                .thenComparing(Map.Entry::getKey))
            .map(Map.Entry::getKey)
            .findFirst();
    if (other.isEmpty()) {
      DivergenceStatus none = new DivergenceStatus();
      none.setUnavailable("no reachable member holds the reference root to compare with");
      none.setSummary("no Merkle comparison: no reachable member holds the reference root");
      return Optional.of(none);
    }
    String otherRoot = lattice.roots().get(other.get());
    String namespace = node.getMetadata().getNamespace();
    Optional<MerkleComparison.Evidence> found =
        watching.inspector().evidence(id, mine, other.get(), otherRoot);
    if (found.isEmpty()) {
      watching.inspector().request(
          id, watching.resolver().baseUrl(name, namespace), mine,
          other.get(), watching.resolver().baseUrl(other.get(), namespace), otherRoot);
    }
    return found.map(e -> Divergences.status(e, name));
  }

  /**
   * Which members reach which, from each member's last answer: its peers, matched to members by
   * the node name they reported or by address.
   */
  private Connectivity connectivity(LatticeNode node, List<LatticeNode> members) {
    String namespace = node.getMetadata().getNamespace();
    Map<String, String> byUrl = new java.util.HashMap<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (LatticeNode m : members) {
      String name = m.getMetadata().getName();
      names.add(name);
      byUrl.put(watching.resolver().baseUrl(name, namespace), name);
      byUrl.put(ResourceNames.nodeUrl(name, namespace), name);
    }
    Map<String, List<Connectivity.Link>> links = new java.util.HashMap<>();
    for (LatticeNode m : members) {
      Optional<NodeReport> report = watching.watch().reports().latest(ResourceID.fromResource(m));
      if (report.isEmpty() || !report.get().reachable() || report.get().observation() == null) {
        continue;
      }
      List<Connectivity.Link> own = new ArrayList<>();
      for (var peer : report.get().observation().links()) {
        String to = peer.name() != null && names.contains(peer.name()) ? peer.name() : byUrl.get(peer.url());
        if (to != null && !to.equals(m.getMetadata().getName())) {
          own.add(new Connectivity.Link(to, peer.p2p(), peer.httpError()));
        }
      }
      links.put(m.getMetadata().getName(), own);
    }
    return new Connectivity(links);
  }

  /** A member's Deployment, from the Deployment dependent's informer. */
  @SuppressWarnings("unchecked")
  private static Optional<Deployment> deploymentOf(LatticeNode member, Context<LatticeNode> context) {
    var source =
        (InformerEventSource<Deployment, LatticeNode>)
            context.eventSourceRetriever().getEventSourceFor(Deployment.class);
    return source.get(
        new ResourceID(
            ResourceNames.node(member.getMetadata().getName()), member.getMetadata().getNamespace()));
  }

  /** The pod-template revision a member's spec asks for (its plan, built as its reconcile would). */
  private String wantedRevision(LatticeNode member, List<LatticeNode> members) {
    return NodeDeploymentDependent.revision(
        NodeDeploymentDependent.build(member, planner.plan(member, members)));
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
      // Lost a race for a shared object, or the API server is busy: the retry will do.
      LOG.debug("{}/{}: retrying after {}", node.getMetadata().getNamespace(),
          node.getMetadata().getName(), ReconcileFailure.message(error));
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String message = ReconcileFailure.message(error);
    if (!reportedAlready(node, Reason.RECONCILE_ERROR, message)) {
      LOG.warn("{}/{} could not be reconciled: {}", node.getMetadata().getNamespace(),
          node.getMetadata().getName(), message);
      events.warning(node, Reason.RECONCILE_ERROR, message);
    }
    writeIfChanged(node, statusAggregator.failed(node, message, now), context);
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
    // Secrets and foreign Services are not watched: look again later.
    return writeIfChanged(node, status, context).rescheduleAfter(config.invalidSpecRecheck());
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
   * Writes the status when it differs from the stored one. The whole status is replaced through
   * {@code PUT .../status} with optimistic locking, never a JSON Patch computed against the cached
   * copy: a patch such as {@code add /status/phase} is refused (422) by a real API server whenever
   * the cached copy and the stored object differ in shape (a new node has no {@code /status} at
   * all). On a conflict JOSDK's helper re-reads and writes again; the result is put in JOSDK's
   * cache so the next reconcile sees it.
   */
  private static UpdateControl<LatticeNode> writeIfChanged(
      LatticeNode node, LatticeNodeStatus status, Context<LatticeNode> context) {
    if (!status.sameAs(node.getStatus())) {
      PrimaryUpdateAndCacheUtils.updateAndCacheResource(
          node,
          context,
          current -> {
            current.setStatus(status);
            return current;
          },
          changed -> context.getClient().resource(changed).updateStatus());
    }
    return UpdateControl.noUpdate();
  }

  /**
   * Besides the dependents' informers: a second view of the LatticeNodes, so that a member joining
   * or leaving (or changing the names it claims) wakes every other member of its lattice, and
   * every node currently blocked on a name conflict.
   */
  @Override
  public List<EventSource<?, LatticeNode>> prepareEventSources(
      EventSourceContext<LatticeNode> context) {
    AtomicReference<InformerEventSource<LatticeNode, LatticeNode>> self = new AtomicReference<>();
    var configuration =
        InformerEventSourceConfiguration.from(LatticeNode.class, LatticeNode.class)
            .withName("lattice-members")
            .withOnUpdateFilter(
                (updated, old) ->
                    !Objects.equals(
                        updated.getMetadata().getGeneration(), old.getMetadata().getGeneration()))
            .withSecondaryToPrimaryMapper(changed -> affectedBy(changed, self.get()))
            .build();
    var members = new InformerEventSource<>(configuration, context);
    self.set(members);
    var reports =
        new NodeReportEventSource(
            watching.prober(), watching.resolver(), context.getPrimaryCache(), watching.inspector());
    return List.of(members, reports);
  }

  private static Set<ResourceID> affectedBy(
      LatticeNode changed, InformerEventSource<LatticeNode, LatticeNode> cache) {
    Set<ResourceID> affected = new HashSet<>();
    affected.add(ResourceID.fromResource(changed));
    String namespace = changed.getMetadata().getNamespace();
    String lattice = latticeOf(changed);
    cache
        .list(namespace, n -> Objects.equals(lattice, latticeOf(n)) || isInvalid(n))
        .forEach(n -> affected.add(ResourceID.fromResource(n)));
    return affected;
  }

  private static String latticeOf(LatticeNode node) {
    return node.getSpec() == null ? null : node.getSpec().getLattice();
  }

  private static boolean isInvalid(LatticeNode node) {
    return node.getStatus() != null
        && StatusAggregator.PHASE_INVALID.equals(node.getStatus().getPhase());
  }

  /**
   * Forgets a node that is gone (the prober no longer finds it among the LatticeNodes): its
   * rollout, its announced transitions, sync-mode attempts, divergence evidence and self-heal.
   */
  public void forget(ResourceID node) {
    rollouts.forget(node);
    watching.forget(node);
  }
}
