package com.diotec360.lattice.operator.reconcile.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.HashMap;

/**
 * EXPERIMENT (branch bench, issue 20 item 4), off unless the operator JVM runs with
 * {@code -Dlattice.experiment.ssaDependents=true} (see {@code LatticeOperator}): JOSDK's
 * server-side-apply create, update and match for dependents, measured against the hand-written
 * matching of {@link DesiredState} on a real API server. With the switch off, every dependent's
 * {@code useSSA(context)} is false and nothing here runs. JOSDK keeps ConfigMaps and Secrets off
 * SSA by default (its {@code defaultNonSSAResources}); they stay on {@link DesiredState}.
 */
final class SsaExperiment {

  private SsaExperiment() {}

  /**
   * JOSDK's match copies its "previous" annotation into the desired object's annotations, which
   * must therefore exist.
   */
  static <R extends HasMetadata> R annotated(R desired) {
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new HashMap<>());
    }
    return desired;
  }

  /** An apply of the whole desired object as the controller's field manager, taking over conflicts. */
  static <R extends HasMetadata> R apply(R desired, Context<?> context) {
    desired.getMetadata().setResourceVersion(null);
    return context.getClient().resource(desired)
        .fieldManager(context.getControllerConfiguration().fieldManager())
        .forceConflicts()
        .serverSideApply();
  }
}
