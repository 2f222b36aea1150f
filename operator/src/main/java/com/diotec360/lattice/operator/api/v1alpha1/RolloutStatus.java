package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import java.util.Objects;

/**
 * Where the node stands in its lattice's rollout: which pod-template revision it runs, which one
 * its spec asks for, and what it waits for. Revisions are short hashes of the pod template the
 * operator builds; a change of image, env, resources, config or the restart annotation makes a new
 * one, and a new revision restarts the node.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {

  public static final String UP_TO_DATE = "UpToDate";
  public static final String WAITING = "Waiting";
  public static final String RESTARTING = "Restarting";
  public static final String STUCK = "Stuck";
  public static final String PAUSED = "Paused";
  public static final String STARTING = "Starting";
  public static final String SUSPENDED = "Suspended";

  @PrinterColumn(name = "Rollout")
  @JsonPropertyDescription(
      "UpToDate (runs the wanted revision and was Ready and Consistent on it), Starting (first"
          + " start, not yet Ready and Consistent), Restarting (restarted onto the wanted revision,"
          + " not yet Ready and Consistent), Waiting (a new revision waits for its turn; see"
          + " message), Stuck (restarting, or first in line, for longer than the rollout deadline;"
          + " nothing else in the lattice restarts meanwhile), Paused or Suspended.")
  private String state;

  @JsonPropertyDescription("The pod-template revision the node's Deployment runs.")
  private String revision;

  @JsonPropertyDescription("The pod-template revision the node's spec asks for.")
  private String wantedRevision;

  @JsonPropertyDescription(
      "The last revision the node was seen Ready and Consistent on after it started. A member whose"
          + " revision differs from this one is still restarting, and the lattice waits for it.")
  private String settledRevision;

  @JsonPropertyDescription(
      "When the node entered its current state (Waiting, Restarting, ...); the rollout deadline"
          + " counts from here.")
  private String since;

  @JsonPropertyDescription("What the node's rollout waits for, in words.")
  private String message;

  public RolloutStatus() {}

  public RolloutStatus copy() {
    RolloutStatus c = new RolloutStatus();
    c.state = state;
    c.revision = revision;
    c.wantedRevision = wantedRevision;
    c.settledRevision = settledRevision;
    c.since = since;
    c.message = message;
    return c;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getWantedRevision() {
    return wantedRevision;
  }

  public void setWantedRevision(String wantedRevision) {
    this.wantedRevision = wantedRevision;
  }

  public String getSettledRevision() {
    return settledRevision;
  }

  public void setSettledRevision(String settledRevision) {
    this.settledRevision = settledRevision;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolloutStatus other
        && Objects.equals(state, other.state)
        && Objects.equals(revision, other.revision)
        && Objects.equals(wantedRevision, other.wantedRevision)
        && Objects.equals(settledRevision, other.settledRevision)
        && Objects.equals(since, other.since)
        && Objects.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, revision, wantedRevision, settledRevision, since, message);
  }
}
