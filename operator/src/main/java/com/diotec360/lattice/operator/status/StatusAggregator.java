package com.diotec360.lattice.operator.status;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.RolloutStatus;
import com.diotec360.lattice.operator.api.v1alpha1.SelfHealStatus;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberJudgement;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.IsoInstants;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.plan.NodePlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a node's status in one pass, in one place: phase, observedGeneration, what the probes
 * saw, its verdict (from its lattice's decision) and the conditions Ready, Reachable,
 * MerkleConsistent and P2PConnected. Only what is true of this member: the lattice's own facts
 * (reference root, agreement, partitions) are in the Lattice's status.
 *
 * <ol>
 *   <li>Start from the stored status (what the API server holds), so fields the probes did not
 *       refresh keep their last value.
 *   <li>Decide each condition exactly once from everything known, against the stored condition:
 *       its lastTransitionTime is kept unless its status flips. Two reconciles with the same inputs
 *       at different times therefore build equal statuses, and the reconciler writes nothing.
 *   <li>A node whose Deployment has never been available is <em>starting</em> until the startup
 *       deadline: a failed probe then means "not up yet" (Reachable=Unknown/NodeStarting), not an
 *       outage, so it raises no Warning and no alert.
 *   <li>The root and version move while data flows. A change of them alone is written at most once
 *       per status refresh interval ({@link #worthWriting}); metrics, {@code kubectl lattice} and
 *       the status page show them live. So does a verdict of writes in flight (Behind, Ahead,
 *       NoQuorum: a mismatch still inside the grace period), to and from it: under traffic the
 *       members of a big lattice are probed at different instants and pass through it on every
 *       root change. Diverged and Split, the verdicts that raise alarms, are written at once.
 * </ol>
 *
 * <p>Pure: what was seen and the time in, the new status out.
 */
public final class StatusAggregator {

  public static final String READY = "Ready";
  public static final String REACHABLE = "Reachable";
  public static final String MERKLE_CONSISTENT = "MerkleConsistent";
  public static final String P2P_CONNECTED = "P2PConnected";
  public static final String ROLLOUT_STUCK = "RolloutStuck";
  public static final String RECONCILIATION_PAUSED = "ReconciliationPaused";
  public static final String SELF_HEAL_FAILED = "SelfHealFailed";

  /** Every condition a reconciled node's status carries, in order. */
  public static final List<String> CONDITIONS =
      List.of(READY, REACHABLE, MERKLE_CONSISTENT, P2P_CONNECTED, ROLLOUT_STUCK, RECONCILIATION_PAUSED,
          SELF_HEAL_FAILED);

  public static final String PHASE_PENDING = "Pending";
  public static final String PHASE_RUNNING = "Running";
  public static final String PHASE_INVALID = "Invalid";
  public static final String PHASE_SUSPENDED = "Suspended";




  /** Length of status.rootShort (the printer column). */
  public static final int ROOT_SHORT = 12;

  /**
   * Everything a reconcile learned about a node, the input of {@link #status}.
   *
   * @param share the node's share of its lattice's decision; empty before the lattice decided, when
   *     the stored verdict is kept
   * @param lattice the lattice's judgement, for the words of a split
   * @param selfHealing whether self-heal is on for the node (the Lattice's setting, or its own)
   */
  public record Observed(
      NodePlan plan,
      Optional<Deployment> deployment,
      Optional<NodeReport> report,
      Optional<LatticeDecision.ForMember> share,
      Optional<LatticeJudgement> lattice,
      RolloutStatus rollout,
      DivergenceStatus divergence,
      SelfHealStatus selfHeal,
      boolean selfHealing) {}

  private final Duration startupDeadline;
  private final Duration refresh;

  /**
   * @param startupDeadline how long a node whose Deployment was never available counts as starting
   * @param refresh how often the moving values (root, version) alone may be written
   */
  public StatusAggregator(Duration startupDeadline, Duration refresh) {
    this.startupDeadline = startupDeadline;
    this.refresh = refresh;
  }

  /** Status of a node whose spec cannot be applied: only Ready changes. */
  public LatticeNodeStatus invalid(LatticeNode node, List<String> problems, Instant now) {
    return notReconciled(node, PHASE_INVALID, Reason.INVALID_SPEC, String.join("; ", problems), now);
  }

  /**
   * Status of a node whose reconcile failed with an error the user may cause (a refused write,
   * say): Ready=False/ReconcileError with the API's message; the phase stays what it was.
   */
  public LatticeNodeStatus failed(LatticeNode node, String message, Instant now) {
    LatticeNodeStatus stored = stored(node);
    String phase = stored.getPhase() == null ? PHASE_PENDING : stored.getPhase();
    return notReconciled(node, phase, Reason.RECONCILE_ERROR, message, now);
  }

  private LatticeNodeStatus notReconciled(
      LatticeNode node, String phase, Reason reason, String message, Instant now) {
    LatticeNodeStatus stored = stored(node);
    LatticeNodeStatus status = stored.copy();
    Long generation = node.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    status.setPhase(phase);
    status.setConditions(
        Conditions.with(stored.getConditions(), READY, Conditions.FALSE, reason.value(), message, generation, now));
    return status;
  }

  /** Status of a node whose objects were reconciled. */
  public LatticeNodeStatus status(LatticeNode node, Observed seen, Instant now) {
    LatticeNodeStatus stored = stored(node);
    LatticeNodeStatus status = stored.copy();
    Long generation = node.getMetadata().getGeneration();
    boolean available = seen.deployment().map(StatusAggregator::isAvailable).orElse(false);
    status.setObservedGeneration(generation);
    boolean suspended = node.getSpec().suspended();
    status.setPhase(suspended ? PHASE_SUSPENDED : available ? PHASE_RUNNING : PHASE_PENDING);
    status.setRollout(seen.rollout());
    status.setAddress(ResourceNames.nodeUrl(seen.plan().name(), seen.plan().namespace()));
    status.setFirstAvailableTime(firstAvailableTime(stored, available, now));
    boolean starting = !suspended && starting(node, seen.deployment(), status, now);

    NodeObservation observation = seen.report().map(NodeReport::observation).orElse(null);
    if (observation != null) {
      String root = observation.merkleRoot();
      status.setMerkleRoot(root);
      status.setRootShort(root.substring(0, Math.min(ROOT_SHORT, root.length())));
      status.setVersion(observation.version());
      status.setSyncMode(observation.syncMode());
      status.setSyncModeSince(
          observation.syncModeSince() == null ? null : observation.syncModeSince().toString());
      status.setPeerCount(observation.peerCount());
    }

    boolean probed = observation != null || seen.report().map(r -> !r.reachable()).orElse(false);
    boolean reachable = seen.report().map(NodeReport::reachable).orElse(false) && observation != null;
    NodeObservation answered = reachable ? observation : null;
    String cause = seen.share().map(LatticeDecision.ForMember::cause).orElse(null);
    List<Condition> conditions = stored.getConditions();
    if (suspended) {
      conditions = with(conditions, READY, SUSPENDED_NOT_READY, generation, now);
      conditions = with(conditions, REACHABLE, SUSPENDED_NOT_PROBED, generation, now);
    } else {
      conditions = with(conditions, READY, ready(available, probed, answered), generation, now);
      conditions = with(conditions, REACHABLE, reachability(probed, reachable, starting), generation, now);
    }
    if (seen.share().isPresent()) {
      MemberJudgement judgement = seen.share().get().judgement();
      boolean differs =
          judgement.verdict() == Verdict.DIVERGED || judgement.verdict() == Verdict.SPLIT;
      // New evidence replaces the stored one; while a comparison runs the stored one stays.
      DivergenceStatus divergence =
          !differs ? null : seen.divergence() != null ? seen.divergence() : stored.getDivergence();
      status.setDivergence(divergence);
      status.setConsistency(consistency(judgement.verdict(), divergence));
      status.setMismatchSince(text(judgement.mismatchSince()));
      status.setDivergedSince(text(judgement.divergedSince()));
      conditions = with(conditions, MERKLE_CONSISTENT,
          because(merkle(judgement.verdict(), status.getConsistency(), divergence, seen.lattice().orElse(null)),
              judgement.verdict() != Verdict.CONSISTENT && judgement.verdict() != Verdict.UNOBSERVED, cause),
          generation, now);
    } else if (Conditions.find(conditions, MERKLE_CONSISTENT).isEmpty()) {
      // Before its lattice has decided, a new node is not judged yet; a known one keeps its verdict.
      status.setConsistency(Verdict.UNOBSERVED.reason());
      conditions = with(conditions, MERKLE_CONSISTENT, merkle(Verdict.UNOBSERVED, null), generation, now);
    }
    conditions = with(conditions, P2P_CONNECTED,
        because(p2p(answered), answered != null, cause), generation, now);
    conditions = with(conditions, ROLLOUT_STUCK, rolloutStuck(seen.rollout()), generation, now);
    conditions = with(conditions, RECONCILIATION_PAUSED, paused(node), generation, now);
    status.setSelfHeal(seen.selfHeal());
    conditions = with(conditions, SELF_HEAL_FAILED,
        selfHealFailed(seen.selfHealing(), seen.selfHeal()), generation, now);
    status.setConditions(conditions);
    return status;
  }

  /**
   * True when {@code next} differs from the stored status in something a person needs to see
   * (phase, verdict, mode, peers, rollout, conditions, ...), or only in its moving values (root,
   * version, a verdict of writes in flight) and the refresh interval has passed since they were
   * last written.
   */
  public boolean worthWriting(LatticeNodeStatus stored, LatticeNodeStatus next, Instant now) {
    if (stored == null) {
      return true;
    }
    boolean inFlight = inFlight(stored) || inFlight(next);
    if (!settled(next, inFlight).equals(settled(stored, inFlight))) {
      return true;
    }
    return movingValuesDiffer(stored, next) && !now.isBefore(lastRefresh(stored).plus(refresh));
  }

  /** The status to write: its moving values stamped with now when they are new. */
  public LatticeNodeStatus refreshed(LatticeNodeStatus stored, LatticeNodeStatus next, Instant now) {
    LatticeNodeStatus written = next.copy();
    boolean fresh = stored == null || movingValuesDiffer(stored, next);
    written.setLastProbeTime(fresh ? now.toString() : stored.getLastProbeTime());
    return written;
  }

  /** When moving values that wait may be written, if some wait. */
  public Optional<Instant> refreshAt(LatticeNodeStatus stored, LatticeNodeStatus next) {
    if (stored == null || !movingValuesDiffer(stored, next)) {
      return Optional.empty();
    }
    return Optional.of(lastRefresh(stored).plus(refresh));
  }

  private static boolean movingValuesDiffer(LatticeNodeStatus stored, LatticeNodeStatus next) {
    return !Objects.equals(stored.getMerkleRoot(), next.getMerkleRoot())
        || !Objects.equals(stored.getVersion(), next.getVersion())
        || ((inFlight(stored) || inFlight(next)) && !verdictOf(stored).equals(verdictOf(next)));
  }

  /**
   * Behind, Ahead or NoQuorum while a mismatch runs inside the grace period, as writes in flight
   * make: not once the member was judged Diverged or Split ({@code divergedSince}; "Behind" then
   * explains a divergence), nor a NoQuorum with nothing in dispute (members lost, no mismatch).
   */
  private static boolean inFlight(LatticeNodeStatus status) {
    String verdict = status.getConsistency();
    return (Verdict.BEHIND.reason().equals(verdict)
            || Verdict.AHEAD.reason().equals(verdict)
            || Verdict.NO_QUORUM.reason().equals(verdict))
        && status.getMismatchSince() != null
        && status.getDivergedSince() == null;
  }

  /** The status without its moving values, and without its verdict when that is in flight. */
  private static LatticeNodeStatus settled(LatticeNodeStatus status, boolean verdictInFlight) {
    LatticeNodeStatus c = status.withoutMovingValues();
    if (verdictInFlight) {
      c.setConsistency(null);
      c.setMismatchSince(null);
      c.setConditions(withoutMerkleCondition(c.getConditions()));
    }
    return c;
  }

  /** The verdict alone: consistency, when the mismatch began, the MerkleConsistent condition. */
  private static LatticeNodeStatus verdictOf(LatticeNodeStatus status) {
    LatticeNodeStatus v = new LatticeNodeStatus();
    v.setConsistency(status.getConsistency());
    v.setMismatchSince(status.getMismatchSince());
    v.setConditions(Conditions.find(status.getConditions(), MERKLE_CONSISTENT).map(List::of).orElse(List.of()));
    return v;
  }

  private static List<Condition> withoutMerkleCondition(List<Condition> conditions) {
    return conditions == null ? null
        : conditions.stream().filter(c -> !MERKLE_CONSISTENT.equals(c.getType())).toList();
  }

  private static Instant lastRefresh(LatticeNodeStatus stored) {
    Instant at = IsoInstants.parseOrNull(stored.getLastProbeTime());
    return at == null ? Instant.EPOCH : at;
  }

  /**
   * True while the node has never been available and the startup deadline, counted from its
   * Deployment's creation (or the node's), has not passed.
   */
  public boolean starting(
      LatticeNode node, Optional<Deployment> deployment, LatticeNodeStatus status, Instant now) {
    if (status != null && status.getFirstAvailableTime() != null) {
      return false;
    }
    return now.isBefore(startedAt(node, deployment, now).plus(startupDeadline));
  }

  /** When the node was set going: its Deployment's creation, else the node's, else now. */
  private static Instant startedAt(LatticeNode node, Optional<Deployment> deployment, Instant now) {
    return deployment
        .map(d -> IsoInstants.parseOrNull(d.getMetadata().getCreationTimestamp()))
        .or(() -> Optional.ofNullable(IsoInstants.parseOrNull(node.getMetadata().getCreationTimestamp())))
        .orElse(now);
  }

  /** True when this reconcile is the first to see the node's Deployment available. */
  public boolean becomesAvailable(LatticeNode node, Optional<Deployment> deployment) {
    LatticeNodeStatus stored = stored(node);
    return stored.getFirstAvailableTime() == null
        && !PHASE_RUNNING.equals(stored.getPhase())
        && deployment.map(StatusAggregator::isAvailable).orElse(false);
  }

  /** When a starting node stops counting as starting, if it is starting now. */
  public Optional<Instant> startupDeadlineAt(
      LatticeNode node, Optional<Deployment> deployment, LatticeNodeStatus status, Instant now) {
    if (!starting(node, deployment, status, now)) {
      return Optional.empty();
    }
    return Optional.of(startedAt(node, deployment, now).plus(startupDeadline));
  }

  /** The condition's values before the stored condition is consulted. */
  private record Value(String status, String reason, String message) {
    Value(String status, Reason reason, String message) {
      this(status, reason.value(), message);
    }
  }

  private static List<Condition> with(
      List<Condition> conditions, String type, Value v, Long generation, Instant now) {
    return Conditions.with(conditions, type, v.status(), v.reason(), v.message(), generation, now);
  }

  /** The value with the partition cause appended, when it is not True and a cause is known. */
  private static Value because(Value v, boolean applies, String cause) {
    if (!applies || cause == null || Conditions.TRUE.equals(v.status())) {
      return v;
    }
    return new Value(v.status(), v.reason(), v.message() + ". Cause: " + cause);
  }

  private static final Value SUSPENDED_NOT_READY =
      new Value(Conditions.FALSE, Reason.SUSPENDED,
          "spec.suspend is true: the node is scaled to zero; its state claim, Services and config"
              + " are kept");

  private static final Value SUSPENDED_NOT_PROBED =
      new Value(Conditions.UNKNOWN, Reason.SUSPENDED,
          "The node is suspended (spec.suspend); the operator does not probe it");

  private static Value rolloutStuck(RolloutStatus rollout) {
    if (rollout == null || rollout.getState() == null) {
      return new Value(Conditions.FALSE, RolloutStatus.STARTING, "No rollout has started yet");
    }
    return new Value(
        RolloutStatus.STUCK.equals(rollout.getState()) ? Conditions.TRUE : Conditions.FALSE,
        rollout.getState(),
        rollout.getMessage());
  }

  private static Value selfHealFailed(boolean selfHealing, SelfHealStatus heal) {
    if (heal != null && SelfHealStatus.GAVE_UP.equals(heal.getState())) {
      return new Value(Conditions.TRUE, SelfHealStatus.GAVE_UP, heal.getMessage());
    }
    if (!selfHealing) {
      return new Value(Conditions.FALSE, Reason.SELF_HEAL_DISABLED,
          "Self-heal is off (spec.selfHeal.enabled of the node's Lattice): the operator only reports");
    }
    if (heal != null && heal.getState() != null) {
      return new Value(Conditions.FALSE, heal.getState(), heal.getMessage());
    }
    return new Value(Conditions.FALSE, Reason.SELF_HEAL_NOT_NEEDED, "Nothing to repair");
  }

  private static Value paused(LatticeNode node) {
    if (node.paused()) {
      return new Value(Conditions.TRUE, Reason.PAUSED_BY_ANNOTATION,
          "The annotation " + LatticeNode.PAUSED_ANNOTATION + "=true is set: the operator changes"
              + " nothing it owns for this node; it keeps probing and reporting");
    }
    return new Value(Conditions.FALSE, Reason.RECONCILING,
        "The operator keeps the node's objects as its spec says");
  }

  private static Value ready(boolean available, boolean probed, NodeObservation answered) {
    if (!available) {
      return new Value(Conditions.FALSE, Reason.DEPLOYMENT_NOT_AVAILABLE,
          "Waiting for the node's Deployment to become available");
    }
    if (probed && answered == null) {
      return new Value(Conditions.FALSE, Reason.NODE_UNREACHABLE,
          "The node's Deployment is available but the node does not answer");
    }
    if (answered != null && !answered.healthy()) {
      return new Value(Conditions.FALSE, Reason.NODE_UNHEALTHY,
          "The node reports itself unhealthy: " + answered.unhealthyReason());
    }
    return new Value(Conditions.TRUE, Reason.DEPLOYMENT_AVAILABLE, "The node's Deployment is available");
  }

  private static Value reachability(boolean probed, boolean reachable, boolean starting) {
    if (starting && !reachable) {
      return new Value(Conditions.UNKNOWN, Reason.NODE_STARTING,
          "The node has not started yet (its Deployment was never available); failed probes count"
              + " as an outage only after the operator's startup deadline");
    }
    if (!probed) {
      return new Value(Conditions.UNKNOWN, Reason.NOT_PROBED,
          "The operator has had no answer from the node yet");
    }
    if (reachable) {
      return new Value(Conditions.TRUE, Reason.PROBE_SUCCEEDED,
          "The node answers the operator's probes");
    }
    return new Value(Conditions.FALSE, Reason.PROBE_FAILED,
        "The node did not answer the operator's last probes");
  }

  /**
   * The verdict as the status shows it. A member Diverged past the grace period is, with the
   * evidence of a Merkle comparison, Behind (it only lacks entries), Ahead (it only holds extra
   * ones) or Forked (both); without evidence it stays Diverged.
   */
  static String consistency(Verdict verdict, DivergenceStatus divergence) {
    if (verdict != Verdict.DIVERGED || divergence == null || !divergence.compared()) {
      return verdict.reason();
    }
    boolean lacks = divergence.getMissing() > 0;
    boolean holdsMore = divergence.getExtra() > 0;
    if (lacks && holdsMore) {
      return Reason.FORKED.value();
    }
    return lacks ? Verdict.BEHIND.reason() : holdsMore ? Verdict.AHEAD.reason() : verdict.reason();
  }

  private static Value merkle(
      Verdict verdict, String shown, DivergenceStatus divergence, LatticeJudgement lattice) {
    Value plain = merkle(verdict, lattice);
    if (divergence == null) {
      return plain;
    }
    String evidence =
        divergence.getSummary() == null ? "" : " Evidence: " + divergence.getSummary() + ".";
    return new Value(plain.status(), shown, plain.message() + evidence);
  }

  private static Value merkle(Verdict verdict, LatticeJudgement lattice) {
    String status =
        switch (verdict) {
          case CONSISTENT -> Conditions.TRUE;
          case BEHIND, AHEAD, DIVERGED, SPLIT -> Conditions.FALSE;
          case NO_QUORUM, UNOBSERVED -> Conditions.UNKNOWN;
        };
    String message =
        switch (verdict) {
          case CONSISTENT -> "The node holds the lattice's reference Merkle root";
          case BEHIND ->
              "The node has fewer entries than the reference and is within the grace period";
          case AHEAD ->
              "The node holds entries the reference lacks and is within the grace period";
          case DIVERGED ->
              "The node's Merkle root has differed from the lattice's reference root for longer"
                  + " than the grace period";
          case SPLIT ->
              "The lattice is split: its members hold different Merkle roots for longer than the"
                  + " grace period and no root is held by a strict majority, so no side can be"
                  + " called right (spec.expectedMerkleRoot can). Sides: " + lattice.sides();
          case NO_QUORUM -> "No Merkle root is held by a strict majority of the lattice's members";
          case UNOBSERVED -> "The node is unreachable, unhealthy or not probed yet";
        };
    return new Value(status, verdict.reason(), message);
  }

  private static Value p2p(NodeObservation seen) {
    if (seen == null || seen.syncMode() == null) {
      return new Value(Conditions.UNKNOWN, Verdict.UNOBSERVED.reason(),
          "The node's sync mode is not known");
    }
    if ("P2P".equals(seen.syncMode()) && seen.peerCount() > 0) {
      return new Value(Conditions.TRUE, Reason.P2P_PEERS, "The node syncs over P2P with its peers");
    }
    if ("P2P".equals(seen.syncMode())) {
      return new Value(Conditions.FALSE, Reason.NO_PEERS, "The node is on P2P but has no P2P peers");
    }
    if ("auto".equals(seen.mode())) {
      return new Value(Conditions.FALSE, Reason.HTTP_FALLBACK,
          "The node had no P2P peers for its peerless timeout and fell back to HTTP polling");
    }
    if ("http".equals(seen.mode())) {
      return new Value(Conditions.FALSE, Reason.HTTP_MODE, "The node is set to HTTP sync");
    }
    return new Value(Conditions.FALSE, Reason.P2P_NOT_RUNNING,
        "The node's P2P network is not running; it syncs over HTTP");
  }

  /**
   * Kept once set. A node a previous operator version saw Running has been available, even
   * though that version did not record when.
   */
  private static String firstAvailableTime(LatticeNodeStatus stored, boolean available, Instant now) {
    if (stored.getFirstAvailableTime() != null) {
      return stored.getFirstAvailableTime();
    }
    boolean wasAvailable = available || PHASE_RUNNING.equals(stored.getPhase());
    return wasAvailable ? now.truncatedTo(ChronoUnit.SECONDS).toString() : null;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** A Deployment is available when its Available condition is True or a replica is available. */
  static boolean isAvailable(Deployment deployment) {
    var status = deployment.getStatus();
    if (status == null) {
      return false;
    }
    boolean availableCondition =
        Objects.requireNonNullElse(status.getConditions(), List.<DeploymentCondition>of()).stream()
            .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    Integer replicas = status.getAvailableReplicas();
    return availableCondition || (replicas != null && replicas > 0);
  }

  private static LatticeNodeStatus stored(LatticeNode node) {
    return node.getStatus() == null ? new LatticeNodeStatus() : node.getStatus();
  }
}
