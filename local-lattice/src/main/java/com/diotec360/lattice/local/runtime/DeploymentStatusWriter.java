package com.diotec360.lattice.local.runtime;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Reports a node process back as the Deployment controller and kubelet would: replicas, ready and
 * available counts, and the Available condition, so the operator's Ready condition works.
 */
final class DeploymentStatusWriter {

  private final KubernetesClient client;

  DeploymentStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Writes the status when it differs from what the Deployment shows; true when written. */
  boolean report(Deployment deployment, boolean running, boolean ready, String message) {
    DeploymentStatus wanted = status(deployment, running, ready, message);
    if (sameCounts(deployment.getStatus(), wanted)) {
      return false;
    }
    client
        .apps()
        .deployments()
        .inNamespace(deployment.getMetadata().getNamespace())
        .withName(deployment.getMetadata().getName())
        .editStatus(
            d -> {
              d.setStatus(wanted);
              return d;
            });
    return true;
  }

  static DeploymentStatus status(Deployment d, boolean running, boolean ready, String message) {
    String now = Instant.now().toString();
    int up = ready ? 1 : 0;
    DeploymentCondition available =
        new DeploymentConditionBuilder()
            .withType("Available")
            .withStatus(ready ? "True" : "False")
            .withReason(ready ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
            .withMessage(message)
            .withLastUpdateTime(now)
            .withLastTransitionTime(now)
            .build();
    return new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(running ? 1 : 0)
        .withUpdatedReplicas(running ? 1 : 0)
        .withReadyReplicas(up)
        .withAvailableReplicas(up)
        .withUnavailableReplicas(1 - up)
        .withConditions(available)
        .build();
  }

  private static boolean sameCounts(DeploymentStatus actual, DeploymentStatus wanted) {
    if (actual == null) {
      return false;
    }
    String actualMessage =
        Objects.requireNonNullElse(actual.getConditions(), List.<DeploymentCondition>of()).stream()
            .filter(c -> "Available".equals(c.getType()))
            .map(c -> c.getStatus() + c.getMessage())
            .findFirst()
            .orElse(null);
    return Objects.equals(actual.getObservedGeneration(), wanted.getObservedGeneration())
        && Objects.equals(actual.getReplicas(), wanted.getReplicas())
        && Objects.equals(actual.getReadyReplicas(), wanted.getReadyReplicas())
        && Objects.equals(actual.getAvailableReplicas(), wanted.getAvailableReplicas())
        && Objects.equals(
            actualMessage,
            wanted.getConditions().get(0).getStatus() + wanted.getConditions().get(0).getMessage());
  }
}
