package com.diotec360.lattice.operator.act;

import com.diotec360.lattice.operator.api.LatticeSecrets;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SyncMode;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeReport;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declarative sync mode: when spec.sync.mode differs from the mode the node reports, asks the node
 * to switch ({@code POST /api/lattice/sync/switch}, bearer = the lattice secret) and records it as
 * an Event. At most one attempt per node and wanted mode per probe interval.
 *
 * <p>The call to the node runs on this class's own thread, never on the reconcile thread (a node
 * that does not answer would hold a reconcile for the client's whole timeout): the reconcile that
 * finds the modes differ starts the attempt and looks again after the retry interval; the attempt
 * announces its own outcome (a {@code SyncModeSwitched} Event, or one {@code SyncModeSwitchFailed}
 * Warning per wanted mode). The mode the node then reports is what the status shows, as always.
 */
public final class SyncModeEnforcer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncModeEnforcer.class);

  /** The last attempt for a node: the mode asked for, when, and whether its call has returned. */
  private record Attempt(String mode, Instant at, CompletableFuture<Void> done) {}

  private final NodeClient client;
  private final NodeAddressResolver resolver;
  private final EventRecorder events;
  private final Duration retryAfter;
  private final Clock clock;
  private final Executor runner;
  private final Map<ResourceID, Attempt> attempts = new ConcurrentHashMap<>();

  public SyncModeEnforcer(
      NodeClient client, NodeAddressResolver resolver, EventRecorder events, Duration retryAfter,
      Clock clock) {
    this(client, resolver, events, retryAfter, clock, BackgroundThread.named("sync-mode-switch"));
  }

  /** With the executor switches run on (tests run them in place: {@code Runnable::run}). */
  SyncModeEnforcer(
      NodeClient client, NodeAddressResolver resolver, EventRecorder events, Duration retryAfter,
      Clock clock, Executor runner) {
    this.client = client;
    this.resolver = resolver;
    this.events = events;
    this.retryAfter = retryAfter;
    this.clock = clock;
    this.runner = runner;
  }

  /**
   * True when the node still runs another mode than wanted (the caller should look again after
   * {@code retryAfter}); starts a switch unless one runs or ran for this mode within that time.
   */
  public boolean enforce(LatticeNode node, Optional<NodeReport> report, Optional<Secret> secret) {
    if (report.isEmpty() || !report.get().reachable() || report.get().observation() == null) {
      return false;
    }
    SyncMode wanted =
        node.getSpec().getSync() == null || node.getSpec().getSync().getMode() == null
            ? SyncMode.AUTO
            : node.getSpec().getSync().getMode();
    String reported = report.get().observation().mode();
    ResourceID id = ResourceID.fromResource(node);
    if (wanted.value().equals(reported)) {
      attempts.remove(id);
      return false;
    }
    Instant now = Instant.now(clock);
    Attempt last = attempts.get(id);
    if (last != null && !last.done().isDone()) {
      return true; // the node has not answered the last attempt yet
    }
    if (last != null && last.mode().equals(wanted.value()) && now.isBefore(last.at().plus(retryAfter))) {
      return true;
    }
    boolean firstTry = last == null || !last.mode().equals(wanted.value());
    Optional<String> token = secret.flatMap(LatticeSecrets::token);
    if (token.isEmpty()) {
      attempts.put(id, new Attempt(wanted.value(), now, CompletableFuture.completedFuture(null)));
      if (firstTry) {
        events.warning(node, Reason.SYNC_MODE_SWITCH_FAILED, "Cannot switch the node's sync mode to " + wanted.value()
            + ": the lattice secret " + ResourceNames.latticeSecret(node.getSpec().getLattice())
            + " has no key '" + LatticeSecrets.TOKEN_KEY + "' yet");
      }
      return true;
    }
    String url = resolver.baseUrl(node.getMetadata().getName(), node.getMetadata().getNamespace());
    CompletableFuture<Void> done = new CompletableFuture<>();
    attempts.put(id, new Attempt(wanted.value(), now, done));
    try {
      runner.execute(() -> {
        try {
          switchMode(node, id, url, reported, wanted.value(), token.get(), firstTry);
        } finally {
          done.complete(null);
        }
      });
    } catch (RejectedExecutionException closed) {
      done.complete(null); // the operator is stopping
    }
    return true;
  }

  /** One switch, on the runner's thread. */
  private void switchMode(
      LatticeNode node, ResourceID id, String url, String reported, String wanted, String token, boolean firstTry) {
    try {
      client.switchMode(url, wanted, token);
      LOG.info("{}/{}: switched sync mode from {} to {}", id.getNamespace().orElse(""),
          id.getName(), reported, wanted);
      events.normal(node, Reason.SYNC_MODE_SWITCHED,
          "Switched the node's sync mode to " + wanted + " as spec.sync.mode asks");
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}/{}: could not switch sync mode to {}: {}", id.getNamespace().orElse(""),
          id.getName(), wanted, e.getMessage());
      if (firstTry) {
        events.warning(node, Reason.SYNC_MODE_SWITCH_FAILED, "Could not switch the node's sync mode to "
            + wanted + "; retrying every probe interval (see the operator log)");
      }
    }
  }

  /** Forgets a node that is gone (its LatticeNode was deleted). */
  public void forget(ResourceID node) {
    attempts.remove(node);
  }

  /** Stops the switch thread; a switch in flight finishes on the node. */
  @Override
  public void close() {
    if (runner instanceof ExecutorService service) {
      service.shutdownNow();
    }
  }
}
