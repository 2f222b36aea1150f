package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/** What the operator judged of a lattice. Written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// A status an older or newer operator wrote may hold fields this one does not know (0.1.0 wrote
// "lattice" and "peers" on every member): they are dropped on the next write, never an error.
@JsonIgnoreProperties(ignoreUnknown = true)
public class LatticeStatus {

  public static final String HEALTHY = "Healthy";
  public static final String DEGRADED = "Degraded";
  public static final String NO_QUORUM = "NoQuorum";
  public static final String SPLIT = "Split";
  public static final String INVALID = "Invalid";

  @JsonPropertyDescription("The spec generation this status was computed from.")
  private Long observedGeneration;

  @PrinterColumn(name = "Members")
  @JsonPropertyDescription(
      "Members of the lattice: its LatticeNodes in this namespace (suspended ones too, not those"
          + " being deleted) and its external members. The quorum counts against all of them,"
          + " reachable or not.")
  private Integer members;

  @PrinterColumn(name = "Agreeing")
  @JsonPropertyDescription("Reachable, healthy members holding the reference root.")
  private Integer agreeing;

  @PrinterColumn(name = "Quorum")
  @JsonPropertyDescription(
      "Members that make a strict majority (2 of 3, 3 of 4). The lattice has a quorum while at"
          + " least this many agree.")
  private Integer quorum;

  @PrinterColumn(name = "Root")
  @JsonPropertyDescription("The first 12 hex characters of referenceRoot, for kubectl get.")
  private String rootShort;

  @PrinterColumn(name = "Phase")
  @JsonPropertyDescription(
      "Healthy (every member holds the reference root), Degraded (a strict majority does, some"
          + " member does not: behind, diverged, unreachable or starting), NoQuorum (no root is held"
          + " by a strict majority), Split (members disagree past the grace period and no side has"
          + " a majority) or Invalid (the spec cannot be applied; see the Ready condition).")
  private String phase;

  @JsonPropertyDescription(
      "The root members are compared with: spec.expectedMerkleRoot when set, else the root held by"
          + " a strict majority of all members. Absent without a quorum. While data flows it is"
          + " refreshed at most once per the operator's status refresh interval (metrics, kubectl"
          + " lattice and the status page show it live).")
  private String referenceRoot;

  @JsonPropertyDescription(
      "True while, since the lattice was last Healthy, every member that does not hold the"
          + " reference root is only Behind or Ahead by writes still propagating (inside the grace"
          + " period). Then agreeing, phase and the Ready"
          + " and Quorum conditions move with every root change, and are written at most once per the"
          + " operator's status refresh interval, like the root; a member Diverged, Split,"
          + " unreachable or starting is written at once. Absent otherwise.")
  private Boolean writesInFlight;

  @JsonPropertyDescription(
      "When referenceRoot was written. Moving values (roots, versions) are written at most once per"
          + " the operator's status refresh interval while nothing else changes.")
  private String refreshedAt;

  @JsonPropertyDescription(
      "Which members reach which, when not all do: P2P groups and failing HTTP polls, e.g. 'P2P"
          + " groups: [node1] [node2]; HTTP failing: node2→node1 (connection refused)'. Absent when"
          + " every member that answers is in one P2P group and no HTTP poll fails.")
  private String partitions;

  @JsonPropertyDescription(
      "Where diverged members differ, one line per member with evidence (from each member's"
          + " status.divergence), e.g. 'node2: node2 lacks 3 entries node1 holds'. Absent when no"
          + " member is Diverged or Split.")
  private String evidence;

  @JsonPropertyDescription(
      "The lattice's rollout: which members restart now and which wait, and why. Kept here so a new"
          + " operator leader continues it where the last one left it.")
  private LatticeRolloutStatus rollout;

  @JsonPropertyDescription(
      "The member being repaired by self-heal, if any: one member of a lattice at a time, kept here"
          + " so a new operator leader continues it.")
  private String healing;

  @JsonPropertyDescription(
      "The external members (spec.externalMembers) as the operator probed and judged them: root,"
          + " sync mode, verdict and evidence, in spec order. They count in members and the quorum.")
  private List<ExternalMemberStatus> externalMembers;

  @JsonPropertyDescription(
      "Conditions in the metav1.Condition shape. Ready: every member holds the reference root"
          + " (reasons Healthy, Degraded, NoQuorum, Split, InvalidSpec). Quorum: a strict majority"
          + " holds the reference root. Deleting: the Lattice was deleted and waits for its"
          + " members to go (it never deletes them).")
  private List<Condition> conditions;

  public LatticeStatus copy() {
    LatticeStatus c = new LatticeStatus();
    c.observedGeneration = observedGeneration;
    c.members = members;
    c.agreeing = agreeing;
    c.quorum = quorum;
    c.rootShort = rootShort;
    c.phase = phase;
    c.referenceRoot = referenceRoot;
    c.refreshedAt = refreshedAt;
    c.writesInFlight = writesInFlight;
    c.partitions = partitions;
    c.evidence = evidence;
    c.rollout = rollout;
    c.healing = healing;
    c.conditions = conditions;
    c.externalMembers = externalMembers;
    return c;
  }

  /** This status without the values that move while data flows (the reference root). */
  public LatticeStatus withoutMovingValues() {
    LatticeStatus c = copy();
    c.referenceRoot = null;
    c.rootShort = null;
    c.refreshedAt = null;
    c.externalMembers = externalMembers == null
        ? null
        : externalMembers.stream().map(ExternalMemberStatus::withoutMovingValues).toList();
    return c;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getMembers() {
    return members;
  }

  public void setMembers(Integer members) {
    this.members = members;
  }

  public Integer getAgreeing() {
    return agreeing;
  }

  public void setAgreeing(Integer agreeing) {
    this.agreeing = agreeing;
  }

  public Integer getQuorum() {
    return quorum;
  }

  public void setQuorum(Integer quorum) {
    this.quorum = quorum;
  }

  public String getRootShort() {
    return rootShort;
  }

  public void setRootShort(String rootShort) {
    this.rootShort = rootShort;
  }

  public Boolean getWritesInFlight() {
    return writesInFlight;
  }

  public void setWritesInFlight(Boolean writesInFlight) {
    this.writesInFlight = writesInFlight;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getReferenceRoot() {
    return referenceRoot;
  }

  public void setReferenceRoot(String referenceRoot) {
    this.referenceRoot = referenceRoot;
  }

  public String getRefreshedAt() {
    return refreshedAt;
  }

  public void setRefreshedAt(String refreshedAt) {
    this.refreshedAt = refreshedAt;
  }

  public String getPartitions() {
    return partitions;
  }

  public void setPartitions(String partitions) {
    this.partitions = partitions;
  }

  public String getEvidence() {
    return evidence;
  }

  public void setEvidence(String evidence) {
    this.evidence = evidence;
  }

  public LatticeRolloutStatus getRollout() {
    return rollout;
  }

  public void setRollout(LatticeRolloutStatus rollout) {
    this.rollout = rollout;
  }

  public String getHealing() {
    return healing;
  }

  public void setHealing(String healing) {
    this.healing = healing;
  }

  public List<ExternalMemberStatus> getExternalMembers() {
    return externalMembers;
  }

  public void setExternalMembers(List<ExternalMemberStatus> externalMembers) {
    this.externalMembers = externalMembers;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatticeStatus other
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(members, other.members)
        && Objects.equals(agreeing, other.agreeing)
        && Objects.equals(quorum, other.quorum)
        && Objects.equals(rootShort, other.rootShort)
        && Objects.equals(phase, other.phase)
        && Objects.equals(referenceRoot, other.referenceRoot)
        && Objects.equals(refreshedAt, other.refreshedAt)
        && Objects.equals(writesInFlight, other.writesInFlight)
        && Objects.equals(partitions, other.partitions)
        && Objects.equals(evidence, other.evidence)
        && Objects.equals(rollout, other.rollout)
        && Objects.equals(healing, other.healing)
        && Objects.equals(externalMembers, other.externalMembers)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, members, agreeing, quorum, rootShort, phase, referenceRoot,
        refreshedAt, writesInFlight, partitions, evidence, rollout, healing, externalMembers, conditions);
  }
}
