package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The lattice's PodDisruptionBudget policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DisruptionBudgetSpec {

  public static final int DEFAULT_MAX_UNAVAILABLE = 1;

  @Default("true")
  @JsonPropertyDescription(
      "true (default): the operator keeps one PodDisruptionBudget over every member's pod; false:"
          + " it makes none (and removes its own), for clusters that manage budgets themselves.")
  private Boolean enabled;

  @Min(1)
  @Max(100)
  @Default("1")
  @JsonPropertyDescription(
      "How many running members a voluntary disruption (a node drain) may take at once. Never more"
          + " than leaves a strict majority of all members running: minAvailable is the larger of"
          + " that majority and running members minus maxUnavailable.")
  private Integer maxUnavailable;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(Integer maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }
}
