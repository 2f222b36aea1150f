package com.diotec360.lattice.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** A failed reconcile reads as one line a user can act on; races and shutdowns stay quiet. */
class ReconcileFailureTest {

  private static final LatticeNode NODE = Nodes.node("n", "sky");

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

    assertThat(ReconcileFailure.message(error, LatticeNodeReconciler.class, NODE))
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

  private static KubernetesClientException alreadyExists(String plural, String name) {
    return new KubernetesClientException(new StatusBuilder().withCode(409).withReason("AlreadyExists")
        .withMessage(plural + " \"" + name + "\" already exists")
        .withNewDetails().withKind(plural).withName(name).endDetails().build());
  }

  @Test
  void aNameSomeoneElseTookStaysUntilAPersonActsAndTheMessageSaysHow() {
    Lattice sky = new Lattice();
    sky.setMetadata(new ObjectMetaBuilder().withName("sky").withNamespace("lattice").build());
    Exception secret = new OperatorException(new AggregatedOperatorException("x",
        Map.of("lattice-secret", alreadyExists("secrets", "sky-lattice-secret"))));

    assertThat(ReconcileFailure.isTransient(secret)).as("only a person can clear it").isFalse();
    assertThat(ReconcileFailure.message(secret, LatticeReconciler.class, sky)).isEqualTo(
        "writing the lattice Secret: secret 'sky-lattice-secret' already exists but lacks the operator's"
            + " labels, so the operator does not see it and will not overwrite it. To hand it to the operator"
            + " (it adds its owner reference; a lattice Secret keeps its token, other objects are rewritten to"
            + " what the operator makes): kubectl label secret sky-lattice-secret -n lattice"
            + " app.kubernetes.io/managed-by=lattice-operator app.kubernetes.io/component=lattice-secret"
            + " lattice.diotec360.com/lattice=sky; or delete it and the operator makes its own");

    Exception claim = new AggregatedOperatorException("x",
        Map.of("state", alreadyExists("persistentvolumeclaims", "n-state")));
    assertThat(ReconcileFailure.message(claim, LatticeNodeReconciler.class, NODE)).isEqualTo(
        "writing the state PersistentVolumeClaim: persistentvolumeclaim 'n-state' already exists but lacks"
            + " the operator's labels, so the operator does not see it and will not overwrite it: delete it,"
            + " or rename the LatticeNode 'n'");
  }

  @Test
  void aStoppingOperatorIsNotAFailure() {
    assertThat(ReconcileFailure.isShutdown(
        new OperatorException(new RejectedExecutionException("pool shutting down")))).isTrue();
    assertThat(ReconcileFailure.isShutdown(api(422, "invalid"))).isFalse();
  }

  @Test
  void aLongMessageIsCut() {
    assertThat(ReconcileFailure.message(api(422, "x".repeat(5000)), LatticeNodeReconciler.class, NODE))
        .hasSize(ReconcileFailure.MAX_MESSAGE)
        .endsWith("…");
  }
}
