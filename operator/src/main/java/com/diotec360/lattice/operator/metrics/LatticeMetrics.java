package com.diotec360.lattice.operator.metrics;

import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeTarget;
import com.diotec360.lattice.operator.observe.ProbeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lattice's Prometheus metrics, per node (tags namespace, lattice, node):
 * {@code lattice_node_up}, {@code lattice_node_peers}, {@code lattice_node_version},
 * {@code lattice_node_sync_mode{mode}}, {@code lattice_node_merkle_consistent}; counters
 * {@code lattice_sync_mode_changes_total{from,to}} and {@code lattice_merkle_divergences_total};
 * the probe latency histogram {@code lattice_probe_duration_seconds}. A node's gauges go away with
 * its LatticeNode.
 */
public final class LatticeMetrics implements ProbeListener {

  private static final List<String> MODES = List.of("P2P", "HTTP");

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
    NodeGauges g = gauges(target.id(), target.lattice());
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
  public void forgotten(NodeTarget target) {
    NodeGauges g = nodes.remove(target.id());
    if (g != null) {
      g.meters.forEach(registry::remove);
    }
  }

  /** From the reconciler: 1 when the node holds the lattice's reference root. */
  public void merkleConsistent(ResourceID node, String lattice, boolean consistent) {
    gauges(node, lattice).consistent.set(consistent ? 1 : 0);
  }

  public void syncModeChanged(ResourceID node, String lattice, String from, String to) {
    Counter.builder("lattice.sync.mode.changes")
        .description("Sync-mode transitions seen on a node")
        .tags(tags(node, lattice).and("from", from, "to", to))
        .register(registry)
        .increment();
  }

  public void divergence(ResourceID node, String lattice) {
    Counter.builder("lattice.merkle.divergences")
        .description("Times a node was judged Diverged")
        .tags(tags(node, lattice))
        .register(registry)
        .increment();
  }

  private NodeGauges gauges(ResourceID node, String lattice) {
    return nodes.computeIfAbsent(node, id -> new NodeGauges(registry, tags(id, lattice)));
  }

  private static Tags tags(ResourceID node, String lattice) {
    return Tags.of("namespace", node.getNamespace().orElse(""), "lattice", lattice, "node", node.getName());
  }

  private static final class NodeGauges {
    final AtomicLong up = new AtomicLong();
    final AtomicLong peers = new AtomicLong();
    final AtomicLong version = new AtomicLong();
    final AtomicLong consistent = new AtomicLong();
    final Map<String, AtomicLong> syncMode = new ConcurrentHashMap<>();
    final List<Meter> meters = new ArrayList<>();

    NodeGauges(MeterRegistry registry, Tags tags) {
      meters.add(gauge(registry, "lattice.node.up", "1 when the last probes answered", tags, up));
      meters.add(gauge(registry, "lattice.node.peers", "Authenticated P2P peers", tags, peers));
      meters.add(gauge(registry, "lattice.node.version", "Entries applied", tags, version));
      meters.add(
          gauge(registry, "lattice.node.merkle.consistent",
              "1 when the node holds the lattice's reference root", tags, consistent));
      for (String mode : MODES) {
        AtomicLong v = new AtomicLong();
        syncMode.put(mode, v);
        meters.add(
            gauge(registry, "lattice.node.sync.mode", "1 for the active sync path",
                tags.and("mode", mode), v));
      }
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
}
