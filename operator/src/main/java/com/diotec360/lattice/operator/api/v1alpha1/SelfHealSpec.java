package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Opt-in repair of a diverged member, only ever with a majority behind the reference root. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SelfHealSpec {

  @JsonPropertyDescription(
      "true: when this node is Diverged past the grace period and a strict majority of all the"
          + " lattice's members agree on the reference root, the operator first asks it to"
          + " resynchronise from a member holding that root (up to 3 times, a probe interval or"
          + " two apart), then restarts it once through the roller; one member of a lattice at a"
          + " time; never deletes data. Default false (the operator only reports).")
  private Boolean enabled;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }
}
