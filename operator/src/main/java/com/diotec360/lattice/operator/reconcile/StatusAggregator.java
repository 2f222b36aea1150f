package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a node's status in one place: phase, the Ready condition, observedGeneration. Pure: what
 * was seen and the time in, the new status out; the reconciler writes it only when it differs.
 */
public final class StatusAggregator {

  public static final String READY = "Ready";

  public static final String PHASE_PENDING = "Pending";
  public static final String PHASE_RUNNING = "Running";
  public static final String PHASE_INVALID = "Invalid";

  public static final String REASON_AVAILABLE = "DeploymentAvailable";
  public static final String REASON_PROGRESSING = "DeploymentNotAvailable";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";

  /** Status of a node whose spec cannot be applied. */
  public LatticeNodeStatus invalid(LatticeNode node, List<String> problems, Instant now) {
    LatticeNodeStatus previous = previous(node);
    LatticeNodeStatus status = copyOf(previous);
    status.setObservedGeneration(node.getMetadata().getGeneration());
    status.setPhase(PHASE_INVALID);
    status.setConditions(
        Conditions.with(
            previous.getConditions(),
            READY,
            Conditions.FALSE,
            REASON_INVALID_SPEC,
            String.join("; ", problems),
            node.getMetadata().getGeneration(),
            now));
    return status;
  }

  /** Status of a node whose objects were reconciled. */
  public LatticeNodeStatus reconciled(
      LatticeNode node, NodePlan plan, Optional<Deployment> deployment, Instant now) {
    LatticeNodeStatus previous = previous(node);
    LatticeNodeStatus status = copyOf(previous);
    boolean available = deployment.map(StatusAggregator::isAvailable).orElse(false);
    status.setObservedGeneration(node.getMetadata().getGeneration());
    status.setPhase(available ? PHASE_RUNNING : PHASE_PENDING);
    status.setAddress(ResourceNames.nodeUrl(plan.name(), plan.namespace()));
    status.setPeers(plan.peers());
    status.setConditions(
        Conditions.with(
            previous.getConditions(),
            READY,
            available ? Conditions.TRUE : Conditions.FALSE,
            available ? REASON_AVAILABLE : REASON_PROGRESSING,
            available
                ? "The node's Deployment is available"
                : "Waiting for the node's Deployment to become available",
            node.getMetadata().getGeneration(),
            now));
    return status;
  }

  /** A Deployment is available when its Available condition is True or a replica is available. */
  static boolean isAvailable(Deployment deployment) {
    var status = deployment.getStatus();
    if (status == null) {
      return false;
    }
    boolean availableCondition =
        Objects.requireNonNullElse(status.getConditions(), List.<io.fabric8.kubernetes.api.model.apps.DeploymentCondition>of())
            .stream()
            .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    Integer replicas = status.getAvailableReplicas();
    return availableCondition || (replicas != null && replicas > 0);
  }

  private static LatticeNodeStatus previous(LatticeNode node) {
    return node.getStatus() == null ? new LatticeNodeStatus() : node.getStatus();
  }

  private static LatticeNodeStatus copyOf(LatticeNodeStatus s) {
    LatticeNodeStatus copy = new LatticeNodeStatus();
    copy.setObservedGeneration(s.getObservedGeneration());
    copy.setPhase(s.getPhase());
    copy.setAddress(s.getAddress());
    copy.setPeers(s.getPeers());
    copy.setConditions(s.getConditions());
    return copy;
  }
}
