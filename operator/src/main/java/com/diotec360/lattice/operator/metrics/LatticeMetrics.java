package com.diotec360.lattice.operator.metrics;

import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeTarget;
import com.diotec360.lattice.operator.observe.ProbeListener;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lattice's Prometheus metrics, per node (tags namespace, lattice, node, and location: {@code
 * cluster} for a LatticeNode, {@code external} for an external member of a Lattice):
 * <ul>
 *   <li>{@code lattice_node_up}: 1 when the last probes answered, else 0 (also while starting);
 *   <li>{@code lattice_node_starting}: 1 while the node's Deployment was never available and the
 *       startup deadline has not passed (alerts use it to stay quiet), else 0;
 *   <li>{@code lattice_node_merkle_consistent}: 1 Consistent, 0 Behind, Ahead or Diverged, and
 *       <em>absent</em> while the verdict is unknown (unreachable, not probed, no quorum): unknown
 *       must never read as inconsistent;
 *   <li>{@code lattice_node_quorum}: 1 when the lattice has a reference root, 0 when no root has a
 *       strict majority, absent while nothing is known;
 *   <li>{@code lattice_node_peers}, {@code lattice_node_version}, {@code lattice_node_sync_mode{mode}};
 * </ul>
 * counters {@code lattice_sync_mode_changes_total{from,to}} and
 * {@code lattice_merkle_divergences_total}; the probe latency histogram
 * {@code lattice_probe_duration_seconds}.
 *
 * <p>A node's gauges appear with its first probe and go when it is no longer probed ({@link
 * #stoppedProbing}: suspended or deleted); its counters go with its LatticeNode ({@link #forget}),
 * and everything at once when this replica stops leading ({@link #forgetAll}). A judgement for a
 * node without gauges never creates them, so a late reconcile cannot bring a deleted node's series
 * back.
 */
public final class LatticeMetrics implements ProbeListener {

  private static final List<String> MODES = List.of("P2P", "HTTP");
  private static final String SYNC_MODE_CHANGES = "lattice.sync.mode.changes";
  private static final String DIVERGENCES = "lattice.merkle.divergences";
  /** The per-node counters, removed with the node's LatticeNode. */
  private static final List<String> COUNTERS = List.of(SYNC_MODE_CHANGES, DIVERGENCES);

  private final MeterRegistry registry;
  private final Timer probeDuration;
  private final Map<ResourceID, NodeGauges> nodes = new ConcurrentHashMap<>();

  public LatticeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.probeDuration =
        Timer.builder("lattice.probe.duration")
            .description("Time to probe one node (/health, state and p2p status)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  @Override
  public void probed(NodeTarget target, NodeReport report, Duration took) {
    probeDuration.record(took);
    NodeGauges g = nodes.computeIfAbsent(target.id(),
        id -> new NodeGauges(registry, tags(target.namespace(), target.lattice(), target.name(), target.location())));
    var seen = report.observation();
    boolean up = report.reachable() && seen != null;
    g.up.set(up ? 1 : 0);
    if (seen != null) {
      g.peers.set(Math.max(0, seen.peerCount()));
      g.version.set(Math.max(0, seen.version()));
      for (String mode : MODES) {
        g.syncMode.get(mode).set(up && mode.equals(seen.syncMode()) ? 1 : 0);
      }
    }
  }

  @Override
  public void stoppedProbing(NodeTarget target) {
    removeGauges(target.id());
  }

  /** The node's LatticeNode is gone: every series it had goes, its counters too. */
  public void forget(ResourceID node) {
    removeGauges(node);
    for (String counter : COUNTERS) {
      registry.find(counter)
          .tags("namespace", node.getNamespace().orElse(""), "node", node.getName())
          .meters()
          .forEach(registry::remove);
    }
  }

  private void removeGauges(ResourceID node) {
    NodeGauges g = nodes.remove(node);
    if (g != null) {
      g.remove();
    }
  }

  /** From the reconciler: what the status says of consistency, quorum and starting. */
  public void judged(ResourceID node, LatticeNodeStatus status, boolean starting) {
    NodeGauges g = nodes.get(node);
    if (g == null) {
      return;
    }
    String consistency = status.getConsistency();
    OptionalLong consistent =
        Verdict.CONSISTENT.reason().equals(consistency)
            ? OptionalLong.of(1)
            : INCONSISTENT.contains(consistency) ? OptionalLong.of(0) : OptionalLong.empty();
    g.consistent.set(consistent);
    // Judged against a reference root: the lattice has one (a quorum, or the expected root).
    boolean hasReference =
        Verdict.CONSISTENT.reason().equals(consistency)
            || (INCONSISTENT.contains(consistency) && !Verdict.SPLIT.reason().equals(consistency));
    OptionalLong quorum =
        hasReference
            ? OptionalLong.of(1)
            : NO_REFERENCE.contains(consistency) ? OptionalLong.of(0) : OptionalLong.empty();
    g.quorum.set(quorum);
    g.split.set(
        Verdict.SPLIT.reason().equals(consistency)
            ? OptionalLong.of(1)
            : consistency == null || Verdict.UNOBSERVED.reason().equals(consistency)
                ? OptionalLong.empty()
                : OptionalLong.of(0));
    g.starting.set(OptionalLong.of(starting ? 1 : 0));
    var divergence = status.getDivergence();
    boolean compared = divergence != null && divergence.compared();
    g.missing.set(compared ? OptionalLong.of(divergence.getMissing()) : OptionalLong.empty());
    g.extra.set(compared ? OptionalLong.of(divergence.getExtra()) : OptionalLong.empty());
  }

  /**
   * From the lattice's controller: what it judged of an external member, shown as a LatticeNode's
   * status would show it ({@code consistency} as in status.externalMembers).
   */
  public void judgedExternal(ResourceID member, String consistency, DivergenceStatus divergence) {
    LatticeNodeStatus status = new LatticeNodeStatus();
    status.setConsistency(consistency);
    status.setDivergence(divergence);
    judged(member, status, false);
  }

  /** Removes every node's series: this replica stopped leading, another one exports them now. */
  public void forgetAll() {
    List.copyOf(nodes.keySet()).forEach(this::removeGauges);
  }

  /** The number of nodes with series (for tests of the lifecycle). */
  public int nodesWithSeries() {
    return nodes.size();
  }

  public void syncModeChanged(ResourceID node, String lattice, String from, String to) {
    Counter.builder(SYNC_MODE_CHANGES)
        .description("Sync-mode transitions seen on a node")
        .tags(tags(node, lattice).and("from", from, "to", to))
        .register(registry)
        .increment();
  }

  public void divergence(ResourceID node, String lattice) {
    Counter.builder(DIVERGENCES)
        .description("Times a node was judged Diverged")
        .tags(tags(node, lattice))
        .register(registry)
        .increment();
  }

  /** A LatticeNode's tags ({@code location="cluster"}). */
  private static Tags tags(ResourceID node, String lattice) {
    return tags(node.getNamespace().orElse(""), lattice, node.getName(), "cluster");
  }

  private static Tags tags(String namespace, String lattice, String node, String location) {
    return Tags.of("namespace", namespace, "lattice", lattice, "node", node, "location", location);
  }

  private static final Set<String> INCONSISTENT =
      Set.of(Verdict.BEHIND.reason(), Verdict.AHEAD.reason(), Verdict.DIVERGED.reason(),
          Verdict.SPLIT.reason(), "Forked");

  private static final Set<String> NO_REFERENCE =
      Set.of(Verdict.NO_QUORUM.reason(), Verdict.SPLIT.reason());

  private static final class NodeGauges {
    final AtomicLong up = new AtomicLong();
    final AtomicLong peers = new AtomicLong();
    final AtomicLong version = new AtomicLong();
    final Map<String, AtomicLong> syncMode = new ConcurrentHashMap<>();
    final List<Meter> meters = new ArrayList<>();
    final OptionalGauge consistent;
    final OptionalGauge quorum;
    final OptionalGauge starting;
    final OptionalGauge split;
    final OptionalGauge missing;
    final OptionalGauge extra;
    private final MeterRegistry registry;

    NodeGauges(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      meters.add(gauge(registry, "lattice.node.up", "1 when the last probes answered", tags, up));
      meters.add(gauge(registry, "lattice.node.peers", "Authenticated P2P peers", tags, peers));
      meters.add(gauge(registry, "lattice.node.version", "Entries applied", tags, version));
      for (String mode : MODES) {
        AtomicLong v = new AtomicLong();
        syncMode.put(mode, v);
        meters.add(
            gauge(registry, "lattice.node.sync.mode", "1 for the active sync path",
                tags.and("mode", mode), v));
      }
      consistent = new OptionalGauge(registry, "lattice.node.merkle.consistent",
          "1 when the node holds the lattice's reference root, 0 when judged Behind, Ahead or"
              + " Diverged; absent while unknown", tags);
      quorum = new OptionalGauge(registry, "lattice.node.quorum",
          "1 when a strict majority of the node's lattice holds one root (or an expected root is"
              + " set), 0 when none does; absent while unknown", tags);
      split = new OptionalGauge(registry, "lattice.node.split",
          "1 when the node's lattice is split (its members hold different roots past the grace"
              + " period and no root has a strict majority), 0 when it is not; absent while unknown",
          tags);
      missing = new OptionalGauge(registry, "lattice.node.entries.missing",
          "Entries the node lacks that the member it was compared with holds (Merkle comparison of"
              + " a Diverged or Split node); absent otherwise", tags);
      extra = new OptionalGauge(registry, "lattice.node.entries.extra",
          "Entries only the node holds, against the member it was compared with; absent otherwise",
          tags);
      starting = new OptionalGauge(registry, "lattice.node.starting",
          "1 while the node's Deployment was never available and the startup deadline has not"
              + " passed", tags);
    }

    void remove() {
      meters.forEach(registry::remove);
      consistent.set(OptionalLong.empty());
      quorum.set(OptionalLong.empty());
      starting.set(OptionalLong.empty());
      split.set(OptionalLong.empty());
      missing.set(OptionalLong.empty());
      extra.set(OptionalLong.empty());
    }

    private static Meter gauge(
        MeterRegistry registry, String name, String help, Tags tags, AtomicLong value) {
      return Gauge.builder(name, value, AtomicLong::get)
          .description(help)
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }
  }

  /** A gauge that exists only while it has a value: absent means "not known". */
  private static final class OptionalGauge {
    private final MeterRegistry registry;
    private final String name;
    private final String help;
    private final Tags tags;
    private final AtomicLong value = new AtomicLong();
    private Meter meter;

    OptionalGauge(MeterRegistry registry, String name, String help, Tags tags) {
      this.registry = registry;
      this.name = name;
      this.help = help;
      this.tags = tags;
    }

    synchronized void set(OptionalLong v) {
      if (v.isEmpty()) {
        if (meter != null) {
          registry.remove(meter);
          meter = null;
        }
        return;
      }
      value.set(v.getAsLong());
      if (meter == null) {
        meter = NodeGauges.gauge(registry, name, help, tags, value);
      }
    }
  }
}
