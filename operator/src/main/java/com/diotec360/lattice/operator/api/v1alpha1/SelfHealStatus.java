package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What the operator did to repair the node (spec.selfHeal). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SelfHealStatus {

  public static final String RESYNCING = "Resyncing";
  public static final String RESTARTING = "Restarting";
  public static final String GAVE_UP = "GaveUp";

  @JsonPropertyDescription(
      "Resyncing (asked to resynchronise from a reference holder), Restarting (restarted through"
          + " the roller), GaveUp (still Diverged after every attempt: left alone until it is"
          + " Consistent again or a person acts). Absent while nothing is being repaired.")
  private String state;

  @JsonPropertyDescription("Resynchronisations asked for in this repair.")
  private Integer resyncs;

  @JsonPropertyDescription(
      "Restarts made by self-heal, ever (part of the pod template, so a new one restarts the node).")
  private Integer restarts;

  @JsonPropertyDescription("When the last action was taken.")
  private String lastActionAt;

  @JsonPropertyDescription("The last action and its outcome, in words.")
  private String message;

  public SelfHealStatus copy() {
    SelfHealStatus c = new SelfHealStatus();
    c.state = state;
    c.resyncs = resyncs;
    c.restarts = restarts;
    c.lastActionAt = lastActionAt;
    c.message = message;
    return c;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Integer getResyncs() {
    return resyncs;
  }

  public void setResyncs(Integer resyncs) {
    this.resyncs = resyncs;
  }

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public String getLastActionAt() {
    return lastActionAt;
  }

  public void setLastActionAt(String lastActionAt) {
    this.lastActionAt = lastActionAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SelfHealStatus s
        && Objects.equals(state, s.state)
        && Objects.equals(resyncs, s.resyncs)
        && Objects.equals(restarts, s.restarts)
        && Objects.equals(lastActionAt, s.lastActionAt)
        && Objects.equals(message, s.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, resyncs, restarts, lastActionAt, message);
  }
}
