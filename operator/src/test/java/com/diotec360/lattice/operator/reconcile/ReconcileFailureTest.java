package com.diotec360.lattice.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** A failed reconcile reads as one line a user can act on; races and shutdowns stay quiet. */
class ReconcileFailureTest {

  private static KubernetesClientException api(int code, String message) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage(message).build());
  }

  @Test
  void aWorkflowFailureNamesTheObjectAndTheServersMessage() {
    Exception error =
        new OperatorException(
            new AggregatedOperatorException(
                "Exception(s) during workflow execution.",
                Map.of("state", new OperatorException(api(422,
                    "PersistentVolumeClaim \"n-state\" is invalid: spec.resources.requests.storage:"
                        + " Forbidden: field can not be less than previous value")))));

    assertThat(ReconcileFailure.message(error, LatticeNodeReconciler.class))
        .isEqualTo("writing the state PersistentVolumeClaim: PersistentVolumeClaim \"n-state\" is"
            + " invalid: spec.resources.requests.storage: Forbidden: field can not be less than"
            + " previous value");
    assertThat(ReconcileFailure.isTransient(error)).isFalse();
  }

  @Test
  void conflictsThrottlingAndServerErrorsAreTransientRefusalsAreNot() {
    assertThat(ReconcileFailure.isTransient(api(409, "the object has been modified"))).isTrue();
    assertThat(ReconcileFailure.isTransient(api(429, "slow down"))).isTrue();
    assertThat(ReconcileFailure.isTransient(api(503, "unavailable"))).isTrue();
    assertThat(ReconcileFailure.isTransient(api(422, "invalid"))).isFalse();
    assertThat(ReconcileFailure.isTransient(api(403, "forbidden"))).isFalse();
    Exception mixed = new AggregatedOperatorException("x",
        Map.of("lattice-peers", api(409, "conflict"), "state", api(422, "invalid")));
    assertThat(ReconcileFailure.isTransient(mixed)).as("one lasting failure is enough").isFalse();
  }

  @Test
  void aStoppingOperatorIsNotAFailure() {
    assertThat(ReconcileFailure.isShutdown(
        new OperatorException(new RejectedExecutionException("pool shutting down")))).isTrue();
    assertThat(ReconcileFailure.isShutdown(api(422, "invalid"))).isFalse();
  }

  @Test
  void aLongMessageIsCut() {
    assertThat(ReconcileFailure.message(api(422, "x".repeat(5000)), LatticeNodeReconciler.class))
        .hasSize(ReconcileFailure.MAX_MESSAGE)
        .endsWith("…");
  }
}
