package com.diotec360.lattice.operator.observe;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every node at a fixed rate, outside any reconcile, on a pool of {@code concurrency}
 * threads, and caches the last report per node. Only a report that {@link NodeReport#differsFrom
 * differs} from the cached one is passed to the change callback, so an idle lattice causes no
 * reconcile and no API write. A node turns unreachable after {@code unreachableAfter} failed
 * probes in a row and recovers on the first success.
 */
public final class NodeProber implements NodeReports, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeProber.class);

  private final NodeClient client;
  private final Duration interval;
  private final int unreachableAfter;
  private final Clock clock;
  private final ProbeListener listener;
  private final ExecutorService probes;
  private final ScheduledExecutorService ticker;
  private final Map<ResourceID, NodeReport> reports = new ConcurrentHashMap<>();
  private final Map<ResourceID, NodeTarget> known = new ConcurrentHashMap<>();
  private volatile Supplier<Collection<NodeTarget>> targets = List::of;
  private final List<Consumer<NodeTarget>> onChange = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean started;
  private volatile boolean leading = true;

  public NodeProber(
      NodeClient client,
      Duration interval,
      int unreachableAfter,
      int concurrency,
      Clock clock,
      ProbeListener listener) {
    this.client = client;
    this.interval = interval;
    this.unreachableAfter = unreachableAfter;
    this.clock = clock;
    this.listener = listener;
    this.probes = Executors.newFixedThreadPool(concurrency, daemon("node-probe"));
    this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("node-probe-ticker"));
  }

  /**
   * Starts probing what {@code targets} lists, each interval; calls {@code onChange}, and every
   * listener added with {@link #onChange(Consumer)}, on changes.
   */
  public synchronized void start(
      Supplier<Collection<NodeTarget>> targets, Consumer<NodeTarget> onChange) {
    this.onChange.add(onChange);
    if (started) {
      return;
    }
    started = true;
    this.targets = targets;
    // At a fixed rate: a cycle that overruns delays the next one, never overlaps it.
    ticker.scheduleAtFixedRate(
        this::safeCycle, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Also tells {@code listener} of every report that changes (the lattice's controller listens). */
  public void onChange(Consumer<NodeTarget> listener) {
    onChange.add(listener);
  }

  @Override
  public Optional<NodeReport> latest(ResourceID node) {
    return Optional.ofNullable(reports.get(node));
  }

  /**
   * Drops the failures learned of a node so far (it stays a target): its next probes count afresh.
   * Used when a node's pod first becomes available, so failures from before it ran are not counted
   * as an outage. A node that answers already keeps its report: dropping it would make the node
   * unobserved for a moment, and its lattice judge it without it.
   */
  public void forgetReport(ResourceID node) {
    reports.computeIfPresent(node, (id, report) -> report.reachable() && report.observation() != null ? report : null);
  }

  public Duration interval() {
    return interval;
  }

  private void safeCycle() {
    try {
      probeCycle();
    } catch (RuntimeException e) {
      LOG.warn("probe cycle failed: {}", e.toString());
    }
  }

  /**
   * Probes only while this replica leads (always, without leader election). A standby neither
   * probes nor keeps reports, so nodes get one set of probes and Prometheus one set of series.
   */
  public void setLeading(boolean leading) {
    this.leading = leading;
    if (!leading && !ticker.isShutdown()) {
      try {
        ticker.execute(() -> forgetGone(List.of()));
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // closed meanwhile: nothing left to forget
      }
    }
  }

  /** One cycle: probes every current target once and returns when all answered or timed out. */
  public int probeCycle() {
    if (!leading) {
      forgetGone(List.of());
      return 0;
    }
    Collection<NodeTarget> current = targets.get();
    forgetGone(current);
    List<CompletableFuture<Void>> running = new ArrayList<>(current.size());
    AtomicInteger changed = new AtomicInteger();
    for (NodeTarget target : current) {
      known.put(target.id(), target);
      running.add(
          CompletableFuture.runAsync(
              () -> {
                if (probeOne(target)) {
                  changed.incrementAndGet();
                }
              },
              probes));
    }
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    return changed.get();
  }

  /** Probes a set of targets once (benchmarks and tests), returning how many reports changed. */
  public int probeCycle(Collection<NodeTarget> oneOff) {
    Supplier<Collection<NodeTarget>> saved = targets;
    targets = () -> oneOff;
    try {
      return probeCycle();
    } finally {
      targets = saved;
    }
  }

  private boolean probeOne(NodeTarget target) {
    long start = System.nanoTime();
    NodeObservation seen = null;
    String error = null;
    try {
      seen = client.probe(target.baseUrl());
    } catch (Exception e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    if (!known.containsKey(target.id())) {
      return false; // removed while probing
    }
    // The answer is combined with the report as it is now, not as it was before the probe: a
    // report forgotten meanwhile (forgetReport) starts counting afresh from this answer.
    NodeObservation answer = seen;
    String failure = error;
    NodeReport[] before = new NodeReport[1];
    NodeReport next = reports.compute(target.id(), (id, previous) -> {
      before[0] = previous;
      return answer != null ? answered(previous, answer) : failed(target, previous, failure);
    });
    listener.probed(target, next, Duration.ofNanos(System.nanoTime() - start));
    if (next.differsFrom(before[0])) {
      onChange.forEach(listener -> listener.accept(target));
      return true;
    }
    return false;
  }

  private NodeReport answered(NodeReport previous, NodeObservation seen) {
    Instant now = Instant.now(clock);
    boolean same = previous != null && previous.reachable() && seen.equals(previous.observation());
    return new NodeReport(true, 0, same ? previous.probedAt() : now, null, seen, now);
  }

  private NodeReport failed(NodeTarget target, NodeReport previous, String error) {
    int failures = previous == null ? 1 : previous.consecutiveFailures() + 1;
    boolean wasReachable = previous == null || previous.reachable();
    boolean reachable = wasReachable && failures < unreachableAfter;
    Instant at =
        previous != null && previous.reachable() == reachable ? previous.probedAt() : Instant.now(clock);
    NodeReport next =
        new NodeReport(
            reachable,
            failures,
            at,
            error,
            previous == null ? null : previous.observation(),
            previous == null ? null : previous.answeredAt());
    if (reachable != wasReachable || previous == null) {
      LOG.info(
          "{}/{} at {}: {} failed probe(s), last: {}",
          target.namespace(),
          target.name(),
          target.baseUrl(),
          failures,
          error);
    }
    return next;
  }

  private void forgetGone(Collection<NodeTarget> current) {
    Set<ResourceID> live = new HashSet<>();
    current.forEach(t -> live.add(t.id()));
    for (NodeTarget gone : List.copyOf(known.values())) {
      NodeTarget now = known.get(gone.id());
      if (!live.contains(gone.id()) && now != null) {
        known.remove(gone.id());
        reports.remove(gone.id());
        listener.stoppedProbing(gone);
      }
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    probes.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
