package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lattice's rollout: who restarts now, who waits and why. Empty lists are left out, as the
 * status aggregator leaves out a rollout with nothing in it, so what is stored reads back equal.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LatticeRolloutStatus {

  @JsonPropertyDescription(
      "Members allowed to restart onto their new revision now (usually one), kept until they are"
          + " Ready and Consistent on it. The turn a new operator leader continues.")
  private List<String> restarting;

  @JsonPropertyDescription("Members whose new revision waits, each with what it waits for.")
  private List<Waiting> waiting;

  public LatticeRolloutStatus() {}

  public LatticeRolloutStatus(List<String> restarting, List<Waiting> waiting) {
    this.restarting = restarting.isEmpty() ? null : new ArrayList<>(restarting);
    this.waiting = waiting.isEmpty() ? null : new ArrayList<>(waiting);
  }

  /** One member whose new revision waits. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Waiting {

    @JsonPropertyDescription("The member's name.")
    private String name;

    @JsonPropertyDescription("What its new revision waits for, in words.")
    private String reason;

    @JsonPropertyDescription(
        "true: it is first in line and waits for the lattice itself (too few members Consistent),"
            + " not for another member's turn; past the rollout deadline its rollout is Stuck.")
    private Boolean blocking;

    public Waiting() {}

    public Waiting(String name, String reason, boolean blocking) {
      this.name = name;
      this.reason = reason;
      this.blocking = blocking ? Boolean.TRUE : null;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getReason() {
      return reason;
    }

    public void setReason(String reason) {
      this.reason = reason;
    }

    public Boolean getBlocking() {
      return blocking;
    }

    public void setBlocking(Boolean blocking) {
      this.blocking = blocking;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Waiting other
          && Objects.equals(name, other.name)
          && Objects.equals(reason, other.reason)
          && Objects.equals(blocking, other.blocking);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, reason, blocking);
    }
  }

  public List<String> getRestarting() {
    return restarting;
  }

  /** The members allowed to restart, never null. */
  public List<String> restartingOrNone() {
    return restarting == null ? List.of() : restarting;
  }

  /** True when nobody restarts and nobody waits. */
  @JsonIgnore
  public boolean isEmpty() {
    return (restarting == null || restarting.isEmpty()) && (waiting == null || waiting.isEmpty());
  }

  public void setRestarting(List<String> restarting) {
    this.restarting = restarting;
  }

  public List<Waiting> getWaiting() {
    return waiting;
  }

  public void setWaiting(List<Waiting> waiting) {
    this.waiting = waiting;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatticeRolloutStatus other
        && Objects.equals(restarting, other.restarting)
        && Objects.equals(waiting, other.waiting);
  }

  @Override
  public int hashCode() {
    return Objects.hash(restarting, waiting);
  }
}
