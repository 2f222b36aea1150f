package com.diotec360.lattice.embedded.validation;

import com.diotec360.lattice.embedded.admission.FieldCause;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a real API server refuses in a Deployment status write (apps validation's
 * {@code ValidateDeploymentStatus}, checked by the conformance suite): negative counts, and
 * more updated, ready or available replicas than replicas, or more available than ready ones. A
 * test or a local runtime that stands in for the Deployment controller must write a status the
 * controller could have written.
 */
public final class DeploymentStatusValidation {

  private static final List<String> COUNTS = List.of("observedGeneration", "replicas", "updatedReplicas",
      "readyReplicas", "availableReplicas", "unavailableReplicas", "terminatingReplicas", "collisionCount");

  private DeploymentStatusValidation() {}

  public static List<FieldCause> validate(JsonNode deployment) {
    JsonNode status = deployment.path("status");
    List<FieldCause> causes = new ArrayList<>();
    for (String count : COUNTS) {
      if (status.path(count).asLong(0) < 0) {
        causes.add(invalid(count, status.path(count).asLong(), "must be greater than or equal to 0"));
      }
    }
    long replicas = status.path("replicas").asLong(0);
    for (String count : List.of("updatedReplicas", "readyReplicas", "availableReplicas")) {
      if (status.path(count).asLong(0) > replicas) {
        causes.add(invalid(count, status.path(count).asLong(), "cannot be greater than status.replicas"));
      }
    }
    if (status.path("availableReplicas").asLong(0) > status.path("readyReplicas").asLong(0)) {
      causes.add(invalid("availableReplicas", status.path("availableReplicas").asLong(),
          "cannot be greater than readyReplicas"));
    }
    return causes;
  }

  private static FieldCause invalid(String count, long value, String why) {
    return new FieldCause("FieldValueInvalid", "Invalid value: " + value + ": " + why, "status." + count);
  }
}
