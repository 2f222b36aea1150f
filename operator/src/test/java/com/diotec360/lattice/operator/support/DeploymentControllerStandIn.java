package com.diotec360.lattice.operator.support;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Objects;

/**
 * Stands in for the Deployment controller and the kubelet on an API server that runs neither: every
 * Deployment of the namespace that does not report its current generation is marked rolled out and
 * available (its one replica running the new template) at once. Not for a server with
 * kube-controller-manager, which owns that status.
 */
public final class DeploymentControllerStandIn implements AutoCloseable {

  private final KubernetesClient client;
  private final Watch watch;

  private DeploymentControllerStandIn(KubernetesClient client, String namespace) {
    this.client = client;
    this.watch = client.apps().deployments().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Deployment deployment) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          rollOut(deployment);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    client.apps().deployments().inNamespace(namespace).list().getItems().forEach(this::rollOut);
  }

  /** Starts standing in for {@code namespace}'s Deployments. */
  public static DeploymentControllerStandIn start(KubernetesClient client, String namespace) {
    return new DeploymentControllerStandIn(client, namespace);
  }

  private void rollOut(Deployment d) {
    Long generation = d.getMetadata().getGeneration();
    if (d.getStatus() != null && Objects.equals(d.getStatus().getObservedGeneration(), generation)) {
      return;
    }
    int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    d.setStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(generation)
        .withReplicas(replicas).withUpdatedReplicas(replicas)
        .withReadyReplicas(replicas).withAvailableReplicas(replicas)
        .build());
    try {
      client.resource(d).updateStatus();
    } catch (KubernetesClientException e) {
      // changed meanwhile: the watch brings the newer one
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
