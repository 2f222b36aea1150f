package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The lattice as seen from one member: the reference root and how many members hold it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LatticeSummary {

  @JsonPropertyDescription(
      "The root members are compared with: spec.expectedMerkleRoot when set, else the root held by a"
          + " strict majority of all members. Absent when no root has a majority (NoQuorum).")
  private String referenceRoot;

  @JsonPropertyDescription("Reachable, healthy members holding the reference root.")
  private Integer agreeing;

  @JsonPropertyDescription("All members of the lattice in this namespace, reachable or not.")
  private Integer members;

  @JsonPropertyDescription(
      "Which members reach which, when not all do: P2P groups (members linked over P2P, directly"
          + " or through others) and failing HTTP polls, e.g. 'P2P groups: [node1] [node2]; HTTP"
          + " failing: node2→node1 (connection refused)'. Absent when every member that answers"
          + " is in one P2P group and no HTTP poll fails.")
  private String partitions;

  public LatticeSummary() {}

  public String getPartitions() {
    return partitions;
  }

  public void setPartitions(String partitions) {
    this.partitions = partitions;
  }

  public LatticeSummary(String referenceRoot, Integer agreeing, Integer members) {
    this.referenceRoot = referenceRoot;
    this.agreeing = agreeing;
    this.members = members;
  }

  public String getReferenceRoot() {
    return referenceRoot;
  }

  public void setReferenceRoot(String referenceRoot) {
    this.referenceRoot = referenceRoot;
  }

  public Integer getAgreeing() {
    return agreeing;
  }

  public void setAgreeing(Integer agreeing) {
    this.agreeing = agreeing;
  }

  public Integer getMembers() {
    return members;
  }

  public void setMembers(Integer members) {
    this.members = members;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatticeSummary other
        && Objects.equals(referenceRoot, other.referenceRoot)
        && Objects.equals(agreeing, other.agreeing)
        && Objects.equals(members, other.members)
        && Objects.equals(partitions, other.partitions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(referenceRoot, agreeing, members, partitions);
  }
}
