package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed of a node. Written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LatticeNodeStatus {

  @JsonPropertyDescription("The spec generation this status was computed from.")
  private Long observedGeneration;

  @PrinterColumn(name = "Phase")
  @JsonPropertyDescription(
      "Pending (starting), Running (Deployment available) or Invalid (the spec cannot be applied;"
          + " see the Ready condition's message).")
  private String phase;

  @JsonPropertyDescription("The node's in-cluster HTTP base URL (its Service DNS name).")
  private String address;

  @JsonPropertyDescription(
      "The peer base URLs the node was given: the other members of its lattice plus spec.peers.")
  private List<String> peers;

  @JsonPropertyDescription(
      "Conditions in the metav1.Condition shape. Ready: True when the node's Deployment is"
          + " available; False with reason InvalidSpec when the spec cannot be applied.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public List<String> getPeers() {
    return peers;
  }

  public void setPeers(List<String> peers) {
    this.peers = peers;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LatticeNodeStatus other)) {
      return false;
    }
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(phase, other.phase)
        && Objects.equals(address, other.address)
        && Objects.equals(peers, other.peers)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, address, peers, conditions);
  }
}
