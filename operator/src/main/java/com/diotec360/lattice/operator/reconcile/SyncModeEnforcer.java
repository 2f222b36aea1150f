package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SyncMode;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeReport;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declarative sync mode: when spec.sync.mode differs from the mode the node reports, asks the node
 * to switch ({@code POST /api/lattice/sync/switch}, bearer = the lattice secret) and records it as
 * an Event. At most one attempt per node and wanted mode per probe interval.
 */
public final class SyncModeEnforcer {

  private static final Logger LOG = LoggerFactory.getLogger(SyncModeEnforcer.class);

  private record Attempt(String mode, Instant at) {}

  private final NodeClient client;
  private final NodeAddressResolver resolver;
  private final EventRecorder events;
  private final Duration retryAfter;
  private final Clock clock;
  private final Map<ResourceID, Attempt> attempts = new ConcurrentHashMap<>();

  public SyncModeEnforcer(
      NodeClient client, NodeAddressResolver resolver, EventRecorder events, Duration retryAfter,
      Clock clock) {
    this.client = client;
    this.resolver = resolver;
    this.events = events;
    this.retryAfter = retryAfter;
    this.clock = clock;
  }

  /** True when the node still runs another mode than wanted (the caller should look again). */
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
    if (last != null && last.mode().equals(wanted.value()) && now.isBefore(last.at().plus(retryAfter))) {
      return true;
    }
    boolean firstTry = last == null || !last.mode().equals(wanted.value());
    attempts.put(id, new Attempt(wanted.value(), now));
    Optional<String> token = secret.flatMap(SyncModeEnforcer::token);
    if (token.isEmpty()) {
      if (firstTry) {
        events.warning(node, Reason.SYNC_MODE_SWITCH_FAILED, "Cannot switch the node's sync mode to " + wanted.value()
            + ": the lattice secret " + ResourceNames.latticeSecret(node.getSpec().getLattice())
            + " has no key '" + NodeEnvironment.LATTICE_SECRET_KEY + "' yet");
      }
      return true;
    }
    String url = resolver.baseUrl(node.getMetadata().getName(), node.getMetadata().getNamespace());
    try {
      client.switchMode(url, wanted.value(), token.get());
      LOG.info("{}/{}: switched sync mode from {} to {}", id.getNamespace().orElse(""),
          id.getName(), reported, wanted.value());
      events.normal(node, Reason.SYNC_MODE_SWITCHED,
          "Switched the node's sync mode to " + wanted.value() + " as spec.sync.mode asks");
    } catch (IOException e) {
      LOG.warn("{}/{}: could not switch sync mode to {}: {}", id.getNamespace().orElse(""),
          id.getName(), wanted.value(), e.getMessage());
      if (firstTry) {
        events.warning(node, Reason.SYNC_MODE_SWITCH_FAILED, "Could not switch the node's sync mode to "
            + wanted.value() + "; retrying every probe interval (see the operator log)");
      }
    }
    return true;
  }

  /** Forgets a node that is gone (its LatticeNode was deleted). */
  public void forget(ResourceID node) {
    attempts.remove(node);
  }

  static Optional<String> token(Secret secret) {
    if (secret.getData() == null || secret.getData().get(NodeEnvironment.LATTICE_SECRET_KEY) == null) {
      return Optional.empty();
    }
    byte[] raw = Base64.getDecoder().decode(secret.getData().get(NodeEnvironment.LATTICE_SECRET_KEY));
    return Optional.of(new String(raw, StandardCharsets.UTF_8).trim());
  }
}
