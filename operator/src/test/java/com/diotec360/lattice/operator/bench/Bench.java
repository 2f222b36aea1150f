package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** What the benchmarks share: the load, creating nodes as a user would, waiting for quiet. */
final class Bench {

  private Bench() {}

  /** Client threads creating the LatticeNodes, in every benchmark. */
  static final int CREATE_THREADS = 16;

  static final long PROBE_SECONDS = Long.getLong("bench.probeSeconds", 10);
  static final int UNREACHABLE_AFTER = Integer.getInteger("bench.unreachableAfter", 3);
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(Long.getLong("bench.settleTimeoutSeconds", 900));
  static final Duration QUIET_TIMEOUT = Duration.ofSeconds(Long.getLong("bench.quietTimeoutSeconds", 300));

  /** The load average (1/5/15 min). */
  static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** The machine in one line: cores, memory, Java. */
  static String machine() {
    long memKb = -1;
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return String.format("%d cores, %d GiB, Java %s (%s)", Runtime.getRuntime().availableProcessors(),
        memKb >> 20, System.getProperty("java.version"), System.getProperty("java.vendor"));
  }

  /** Node {@code prefix + i} of lattice {@code lattice + (i / latticeSize)}, for i in [from, from + n). */
  static List<LatticeNode> nodes(String namespace, String prefix, int from, int n, int latticeSize, String lattice) {
    List<LatticeNode> nodes = new ArrayList<>(n);
    for (int i = from; i < from + n; i++) {
      nodes.add(Nodes.toCreate(prefix + i, namespace, lattice + (i / latticeSize)));
    }
    return nodes;
  }

  /** Creates the nodes on {@link #CREATE_THREADS} threads, all at once, and returns when all are created. */
  static List<LatticeNode> create(KubernetesClient client, List<LatticeNode> nodes) throws Exception {
    ExecutorService creators = Executors.newFixedThreadPool(CREATE_THREADS);
    try {
      List<Future<LatticeNode>> created = new ArrayList<>();
      for (LatticeNode node : nodes) {
        created.add(creators.submit(() -> client.resource(node).create()));
      }
      List<LatticeNode> out = new ArrayList<>();
      for (Future<LatticeNode> f : created) {
        out.add(f.get());
      }
      return out;
    } finally {
      creators.shutdownNow();
    }
  }

  /**
   * Waits (bounded) until {@code writes} stood still for {@code window}: true when it did, false
   * at the bound.
   */
  static boolean awaitQuiet(Supplier<WriteTally> writes, Duration window, Duration bound) throws InterruptedException {
    return awaitQuiet(writes, null, window, bound);
  }

  /**
   * As {@link #awaitQuiet(Supplier, Duration, Duration)}, and the operator's reconciles are done
   * too: none running or queued at both ends of the window (JOSDK's gauges), or, should a gauge
   * never come back to 0, no reconcile started or finished within it. A reconcile still waiting
   * for the API server has not written yet; this does not call that quiet.
   */
  static boolean awaitQuiet(Supplier<WriteTally> writes, OperatorChild child, Duration window, Duration bound)
      throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    long last = -1;
    long[] lastCounters = {-2, -2};
    while (System.nanoTime() < deadline) {
      WriteTally now = writes.get();
      long count = now.accepted() + now.refused();
      long[] counters = child == null ? new long[] {0, 0} : child.reconcileCounters();
      boolean reconcilesDone = (counters[0] == 0 && lastCounters[0] == 0) || counters[1] == lastCounters[1];
      if (count == last && reconcilesDone) {
        return true;
      }
      last = count;
      lastCounters = counters;
      Thread.sleep(window.toMillis());
    }
    return false;
  }

  static String mib(long bytes) {
    return bytes < 0 ? "?" : (bytes >> 20) + " MiB";
  }
}
