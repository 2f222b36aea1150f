package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How changes that restart members roll through the lattice. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutPolicySpec {

  @JsonPropertyDescription(
      "true: no member restarts onto a new revision (members that are not started yet, or"
          + " suspended, still change); the operator keeps watching. false or absent: members"
          + " restart one at a time.")
  private Boolean paused;

  @Min(30)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds a restarting member (or the first in line) may take before the rollout is Stuck."
          + " Default: the operator's LATTICE_ROLLOUT_DEADLINE_SECONDS (600).")
  private Integer deadlineSeconds;

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public Integer getDeadlineSeconds() {
    return deadlineSeconds;
  }

  public void setDeadlineSeconds(Integer deadlineSeconds) {
    this.deadlineSeconds = deadlineSeconds;
  }
}
