package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.status.StatusAggregator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which LatticeNodes of a namespace have a status for their generation with all 4 conditions, from
 * a watch (one informer in the benchmark's JVM: polling lists of thousands of nodes would load the
 * server the benchmark measures). Works on any server.
 */
final class StatusWatch implements AutoCloseable {

  /** How a wait ended. */
  record Settle(boolean done, double seconds, int withStatus, String limit) {}

  private final Map<String, Boolean> complete = new ConcurrentHashMap<>();
  private final SharedIndexInformer<LatticeNode> informer;

  StatusWatch(KubernetesClient client, String namespace) {
    informer = client.resources(LatticeNode.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(LatticeNode node) {
        complete.put(node.getMetadata().getName(), hasStatus(node));
      }

      @Override
      public void onUpdate(LatticeNode old, LatticeNode node) {
        complete.put(node.getMetadata().getName(), hasStatus(node));
      }

      @Override
      public void onDelete(LatticeNode node, boolean unknown) {
        complete.remove(node.getMetadata().getName());
      }
    }, 0);
  }

  static boolean hasStatus(LatticeNode node) {
    return node.getStatus() != null
        && Objects.equals(node.getStatus().getObservedGeneration(), node.getMetadata().getGeneration())
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().size() == StatusAggregator.CONDITIONS.size();
  }

  int withStatus() {
    return (int) complete.values().stream().filter(b -> b).count();
  }

  boolean has(String name) {
    return complete.getOrDefault(name, false);
  }

  /** Waits (bounded) until {@code n} nodes have their status; seconds from {@code t0} (nanoTime). */
  Settle await(int n, long t0, Duration bound) throws InterruptedException {
    long deadline = t0 + bound.toNanos();
    long lastReport = System.nanoTime();
    while (System.nanoTime() < deadline) {
      int done = withStatus();
      if (done >= n) {
        return new Settle(true, (System.nanoTime() - t0) / 1e9, done, "");
      }
      if (System.nanoTime() - lastReport > Duration.ofSeconds(60).toNanos()) {
        lastReport = System.nanoTime();
        System.out.printf("    ... %d/%d with status after %.0f s (load %s)%n", done, n, (lastReport - t0) / 1e9, Bench.load());
      }
      Thread.sleep(50); // polling a map the watch fills, not the server
    }
    return new Settle(false, (System.nanoTime() - t0) / 1e9, withStatus(), "bound " + bound.toSeconds() + " s");
  }

  /** Waits (bounded) until the named node has its status. */
  Settle awaitNode(String name, long t0, Duration bound) throws InterruptedException {
    long deadline = t0 + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (has(name)) {
        return new Settle(true, (System.nanoTime() - t0) / 1e9, 1, "");
      }
      Thread.sleep(20); // polling a map the watch fills, not the server
    }
    return new Settle(false, (System.nanoTime() - t0) / 1e9, 0, "bound " + bound.toSeconds() + " s");
  }

  @Override
  public void close() {
    informer.close();
  }
}
