package com.diotec360.lattice.operator.act;

import com.diotec360.lattice.merkle.Counterpart;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SelfHealStatus;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.IsoInstants;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeReport;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in repair of a diverged member ({@code spec.selfHeal.enabled}), never without quorum:
 *
 * <ol>
 *   <li>Only for a member judged Diverged (past the grace period), only while a strict majority of
 *       <em>all</em> the lattice's members hold the reference root, and only one member of a
 *       lattice at a time: the one whose repair turn it is in its lattice's decision (kept in the
 *       Lattice's status, so a new operator leader continues it).
 *   <li>First it asks the node to resynchronise from a member holding the reference root ({@code
 *       POST /api/lattice/sync/resync}, one anti-entropy run: entries are only ever added), up to
 *       {@link #RESYNCS} times, {@link #SPACING} probe intervals apart.
 *   <li>Then it restarts the node once: {@code status.selfHeal.restarts} is part of the pod
 *       template, so the roller restarts it (a member that is not Consistent goes at once).
 *   <li>Still Diverged {@link #SPACING} probe intervals after that: it gives up, says so in the
 *       {@code SelfHealFailed} condition and a Warning, and leaves the node alone until it is
 *       Consistent again.
 * </ol>
 *
 * Every action is an Event. Nothing here deletes data.
 *
 * <p>A resync is a whole anti-entropy run, so it runs on this class's own thread, never on the
 * reconcile thread: the reconcile that starts it records "started" and asks to be run again every
 * {@link #POLL} until the resync has answered; the reconcile after that records the result (in
 * {@code status.selfHeal} and the {@code SelfHealResync} Event) and the spacing starts from then.
 * One resync per node at a time; the thread is closed with the operator ({@link #close}).
 */
public final class SelfHealer implements AutoCloseable {

  /** Resynchronisations asked for before a restart. */
  public static final int RESYNCS = 3;

  /** Probe intervals between two actions on one node. */
  public static final int SPACING = 2;

  /** How often a reconcile looks whether a running resync has answered. */
  static final Duration POLL = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(SelfHealer.class);

  private final NodeClient client;
  private final NodeAddressResolver resolver;
  private final EventRecorder events;
  private final Duration probeInterval;
  private final Clock clock;
  /** Resyncs asked for, by namespace/name/uid, until a reconcile has recorded their answer. */
  private final Map<String, Resync> inFlight = new ConcurrentHashMap<>();
  private final Executor runner;

  /** One resync: its number (1 to {@link #RESYNCS}), the member it pulls from, and its answer. */
  private record Resync(int number, String from, CompletableFuture<String> answer) {}

  public SelfHealer(
      NodeClient client, NodeAddressResolver resolver, EventRecorder events, Duration probeInterval,
      Clock clock) {
    this(client, resolver, events, probeInterval, clock, BackgroundThread.named("self-heal-resync"));
  }

  /** With the executor resyncs run on (tests run them in place: {@code Runnable::run}). */
  SelfHealer(
      NodeClient client, NodeAddressResolver resolver, EventRecorder events, Duration probeInterval,
      Clock clock, Executor runner) {
    this.client = client;
    this.resolver = resolver;
    this.events = events;
    this.probeInterval = probeInterval;
    this.clock = clock;
    this.runner = runner;
  }

  /** The node's self-heal status after this reconcile, and when to look again. */
  public record Outcome(SelfHealStatus status, Optional<Duration> recheckAfter) {}

  /**
   * @param selfHealing whether self-heal is on for the node (its Lattice's setting, or its own)
   * @param share the node's share of its lattice's decision: its verdict and whose repair turn it is
   * @param lattice the lattice's judgement (who holds the reference root)
   * @param token the lattice secret, if readable
   */
  public Outcome heal(
      LatticeNode node,
      boolean selfHealing,
      LatticeDecision.ForMember share,
      LatticeJudgement lattice,
      Optional<NodeReport> report,
      Optional<String> token) {
    Verdict verdict = share.judgement().verdict();
    SelfHealStatus stored =
        node.getStatus() == null || node.getStatus().getSelfHeal() == null
            ? null
            : node.getStatus().getSelfHeal();
    String name = node.getMetadata().getName();
    // By uid too: a node deleted while its resync ran and created again is another node.
    String key = node.getMetadata().getNamespace() + "/" + name + "/" + node.getMetadata().getUid();
    Instant now = Instant.now(clock);
    Duration spacing = probeInterval.multipliedBy(SPACING);
    // A resync that has answered is recorded first, whatever the node's verdict is now.
    Resync answered = inFlight.get(key);
    if (answered != null && answered.answer().isDone()) {
      inFlight.remove(key);
      String message = answered.answer().join();
      LOG.info("{}/{}: {}", node.getMetadata().getNamespace(), name, message);
      events.normal(node, Reason.SELF_HEAL_RESYNC, message);
      if (verdict != Verdict.CONSISTENT && stored != null) {
        SelfHealStatus s = stored.copy();
        s.setMessage(message);
        s.setLastActionAt(now.toString()); // the spacing runs from the answer
        return new Outcome(s, Optional.of(spacing));
      }
    }
    if (verdict == Verdict.CONSISTENT) {
      if (inFlight.containsKey(key)) {
        // Consistent before its resync has answered: record the answer first, then the healing.
        return new Outcome(stored, Optional.of(POLL));
      }
      if (stored != null && stored.getState() != null) {
        events.normal(node, Reason.SELF_HEALED, "The node holds the lattice's reference root again");
        SelfHealStatus done = stored.copy();
        done.setState(null);
        done.setResyncs(null);
        done.setMessage("Healed: the node holds the reference root again");
        return new Outcome(done, Optional.empty());
      }
      return new Outcome(stored, Optional.empty());
    }
    if (!selfHealing || verdict != Verdict.DIVERGED) {
      return new Outcome(stored, Optional.empty());
    }
    SelfHealStatus s = stored == null ? new SelfHealStatus() : stored.copy();
    if (SelfHealStatus.GAVE_UP.equals(s.getState())) {
      return new Outcome(stored, Optional.empty());
    }
    if (inFlight.containsKey(key)) {
      return new Outcome(stored, Optional.of(POLL)); // the resync has not answered yet
    }
    Instant last = IsoInstants.parseOrNull(s.getLastActionAt());
    if (last != null && now.isBefore(last.plus(spacing))) {
      return new Outcome(stored, Optional.of(Duration.between(now, last.plus(spacing)).plusMillis(100)));
    }
    // Quorum: a strict majority of all members holds the reference root.
    if (lattice.referenceRoot() == null || lattice.agreeing() * 2 <= lattice.total()) {
      s.setMessage("Not repairing: only " + lattice.agreeing() + " of " + lattice.total()
          + " members hold the reference root, not a strict majority");
      return new Outcome(same(stored, s), Optional.of(spacing));
    }
    Optional<String> turn = share.healing();
    if (turn.isEmpty() || !turn.get().equals(name)) {
      s.setMessage(turn.map(other -> "Waiting: " + other + " of this lattice is being repaired; one at a time")
          .orElse("Waiting for the lattice to give this member its repair turn"));
      return new Outcome(same(stored, s), Optional.of(spacing));
    }
    int resyncs = Objects.requireNonNullElse(s.getResyncs(), 0);
    int restarts = Objects.requireNonNullElse(s.getRestarts(), 0);
    s.setLastActionAt(now.toString());
    if (resyncs < RESYNCS) {
      Optional<String> holder = Counterpart.choose(name, lattice.roots(), lattice.referenceRoot())
          .filter(c -> c.why() == Counterpart.Why.HOLDS_REFERENCE)
          .map(Counterpart::name);
      if (holder.isEmpty() || token.isEmpty() || report.isEmpty() || !report.get().reachable()) {
        s.setMessage("Not repairing now: " + (holder.isEmpty() ? "no reachable member the operator runs holds the reference root"
            + " (an external member is never resynced from)"
            : token.isEmpty() ? "the lattice secret is not readable" : "the node does not answer"));
        return new Outcome(same(stored, s), Optional.of(spacing));
      }
      String namespace = node.getMetadata().getNamespace();
      s.setState(SelfHealStatus.RESYNCING);
      s.setResyncs(resyncs + 1);
      String what = "Resync " + (resyncs + 1) + " of " + RESYNCS + " from " + holder.get();
      s.setMessage(what + ": running");
      String nodeUrl = resolver.baseUrl(name, namespace);
      String fromUrl = resolver.baseUrl(holder.get(), namespace);
      String secret = token.get();
      CompletableFuture<String> answer = new CompletableFuture<>();
      inFlight.put(key, new Resync(resyncs + 1, holder.get(), answer));
      try {
        runner.execute(() -> answer.complete(resync(what, nodeUrl, fromUrl, secret)));
      } catch (RejectedExecutionException closed) {
        inFlight.remove(key); // the operator is stopping
      }
      return new Outcome(s, Optional.of(POLL));
    }
    if (!SelfHealStatus.RESTARTING.equals(s.getState())) {
      s.setState(SelfHealStatus.RESTARTING);
      s.setRestarts(restarts + 1);
      s.setMessage("Still Diverged after " + RESYNCS + " resyncs: restarting the node (through the"
          + " roller)");
      events.normal(node, Reason.SELF_HEAL_RESTART, s.getMessage());
      return new Outcome(s, Optional.of(spacing));
    }
    s.setState(SelfHealStatus.GAVE_UP);
    s.setMessage("Still Diverged after " + RESYNCS + " resyncs and a restart: the operator leaves the"
        + " node alone until it is Consistent again; restore its state from a member holding the"
        + " reference root, or delete and recreate it");
    events.warning(node, Reason.SELF_HEAL_GAVE_UP, s.getMessage());
    return new Outcome(s, Optional.empty());
  }

  /** One resync, on the runner's thread; its answer in words. */
  private String resync(String what, String nodeUrl, String fromUrl, String token) {
    try {
      int pulled = client.resync(nodeUrl, fromUrl, token);
      return what + ": pulled " + pulled + (pulled == 1 ? " entry" : " entries");
    } catch (IOException | RuntimeException e) {
      return what + " failed: " + e.getMessage();
    }
  }

  /** Stops the resync thread; a resync in flight finishes on the node. */
  @Override
  public void close() {
    if (runner instanceof ExecutorService service) {
      service.shutdownNow();
    }
  }

  /** The stored status when only the words would change (no write for a repeated wait). */
  private static SelfHealStatus same(SelfHealStatus stored, SelfHealStatus wanted) {
    return stored != null && Objects.equals(stored.getState(), wanted.getState())
            && Objects.equals(stored.getMessage(), wanted.getMessage())
        ? stored
        : wanted;
  }


  /**
   * Forgets a node that is gone: a resync still running for it (its answer is dropped; a node
   * created again under the name has another uid).
   */
  public void forget(ResourceID node) {
    String namespace = node.getNamespace().orElse("");
    inFlight.keySet().removeIf(key -> key.startsWith(namespace + "/" + node.getName() + "/"));
  }

  /** How many entries (resyncs running) it keeps: tests check gone nodes leave none. */
  int remembered() {
    return inFlight.size();
  }
}
