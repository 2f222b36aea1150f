package com.diotec360.lattice.operator.observe;

import com.diotec360.lattice.merkle.MerkleComparison.Evidence;
import com.diotec360.lattice.merkle.MerkleComparison;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out where a diverged (or split) member's Merkle trie differs from another member's, off
 * the reconcile thread: the reconciler asks ({@link #request}), one worker walks both tries
 * ({@link MerkleComparison}), the evidence is cached under the pair of roots it explains, and the
 * node's reconcile is woken to put it in status. Evidence for other roots than the current ones
 * is never served, so it cannot describe a state that has moved on.
 *
 * <p>Cost: at most one comparison per node in flight and one per node per {@code minInterval};
 * one worker thread; each comparison bounded as {@link MerkleComparison} says.
 */
public final class DivergenceInspector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DivergenceInspector.class);

  /** What a comparison explains: the node's root against the other member's. */
  private record Key(String nodeRoot, String otherRoot, String other) {}

  private record Found(Key key, Evidence evidence) {}

  private final NodeClient client;
  private final Clock clock;
  private final Duration minInterval;
  private final Map<ResourceID, Found> found = new ConcurrentHashMap<>();
  private final Map<ResourceID, Instant> started = new ConcurrentHashMap<>();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "merkle-comparison");
            t.setDaemon(true);
            return t;
          });
  private final java.util.List<Consumer<ResourceID>> onFound = new java.util.concurrent.CopyOnWriteArrayList<>();

  public DivergenceInspector(NodeClient client, Clock clock, Duration minInterval) {
    this.client = client;
    this.clock = clock;
    this.minInterval = minInterval;
  }

  /**
   * Who to wake when evidence for a node is ready: the node-reports event source (LatticeNodes),
   * and the lattice's controller (external members).
   */
  public void onFound(Consumer<ResourceID> wake) {
    onFound.add(wake);
  }

  /** The evidence for exactly these roots, if a comparison found it. */
  public Optional<Evidence> evidence(ResourceID node, String nodeRoot, String other, String otherRoot) {
    Found f = found.get(node);
    return f != null && f.key().equals(new Key(nodeRoot, otherRoot, other))
        ? Optional.of(f.evidence())
        : Optional.empty();
  }

  /**
   * Asks for a comparison of the node (at {@code nodeUrl}, holding {@code nodeRoot}) with another
   * member; nothing happens when one runs for the node already or ran less than the minimum
   * interval ago.
   */
  public void request(
      ResourceID node, String nodeUrl, String nodeRoot, String other, String otherUrl, String otherRoot) {
    Key key = new Key(nodeRoot, otherRoot, other);
    Found f = found.get(node);
    if (f != null && f.key().equals(key)) {
      return;
    }
    Instant now = Instant.now(clock);
    synchronized (started) {
      Instant last = started.get(node);
      if (last != null && now.isBefore(last.plus(minInterval))) {
        return; // one ran or runs already; the next reconcile asks again
      }
      started.put(node, now);
    }
    try {
      worker.execute(() -> {
        Evidence evidence = MerkleComparison.compare(
            prefixes -> client.tree(nodeUrl, prefixes), other, prefixes -> client.tree(otherUrl, prefixes),
            Instant.now(clock));
        LOG.info("{}/{}: {} ({} requests, {} bytes)", node.getNamespace().orElse(""), node.getName(),
            evidence.sentence(node.getName()), evidence.requests(), evidence.bytes());
        found.put(node, new Found(key, evidence));
        onFound.forEach(wake -> wake.accept(node));
      });
    } catch (RejectedExecutionException closed) {
      // the operator is stopping
    }
  }

  /** Drops what is known of a node (it is consistent again, or gone). */
  public void forget(ResourceID node) {
    found.remove(node);
    started.remove(node);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
