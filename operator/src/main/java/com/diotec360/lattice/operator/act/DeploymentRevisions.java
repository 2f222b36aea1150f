package com.diotec360.lattice.operator.act;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * What a node's Deployment says of its rollout: the pod-template revision it runs (stamped by the
 * operator when it writes the template) and whether that template has finished rolling out. The
 * roller reads both; the Deployment's dependent writes the revision.
 */
public final class DeploymentRevisions {

  /** The pod-template revision a Deployment runs (a short hash of the template the operator built). */
  public static final String REVISION_ANNOTATION = LatticeNode.GROUP + "/revision";

  private DeploymentRevisions() {}

  /** The revision a live Deployment runs, from its annotation; null before revisions were stamped. */
  public static String revisionOf(Deployment live) {
    var annotations = live.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(REVISION_ANNOTATION);
  }

  /**
   * True when the Deployment has finished rolling out its current template, as {@code kubectl
   * rollout status} decides: the controller saw this generation, every replica runs it and is
   * available, and no pod of an older template is left.
   */
  public static boolean rolledOut(Deployment live) {
    var status = live.getStatus();
    Integer wanted = live.getSpec().getReplicas();
    if (status == null || wanted == null || wanted < 1) {
      return false;
    }
    Long generation = live.getMetadata().getGeneration();
    Long observed = status.getObservedGeneration();
    boolean observedNow = generation == null || (observed != null && observed >= generation);
    int updated = java.util.Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
    int replicas = java.util.Objects.requireNonNullElse(status.getReplicas(), 0);
    int available = java.util.Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
    return observedNow && updated >= wanted && replicas == updated && available >= updated;
  }
}
