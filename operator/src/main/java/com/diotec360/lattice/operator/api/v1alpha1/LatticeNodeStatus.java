package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/** What the operator observed of a node. Written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// A status an older or newer operator wrote may hold fields this one does not know (0.1.0 wrote
// "lattice" and "peers" on every member): they are dropped on the next write, never an error.
@JsonIgnoreProperties(ignoreUnknown = true)
public class LatticeNodeStatus {

  @JsonPropertyDescription("The spec generation this status was computed from.")
  private Long observedGeneration;

  @PrinterColumn(name = "Phase")
  @JsonPropertyDescription(
      "Pending (starting), Running (Deployment available), Suspended (spec.suspend: scaled to"
          + " zero, state kept) or Invalid (the spec cannot be applied; see the Ready condition's"
          + " message).")
  private String phase;

  @PrinterColumn(name = "Sync")
  @JsonPropertyDescription(
      "The sync path the node reports as active: P2P (gossip) or HTTP (polling fallback).")
  private String syncMode;

  @PrinterColumn(name = "Peers")
  @JsonPropertyDescription("Authenticated P2P peers the node reports.")
  private Integer peerCount;

  @PrinterColumn(name = "Root")
  @JsonPropertyDescription("The first 12 hex characters of merkleRoot, for kubectl get.")
  private String rootShort;

  @PrinterColumn(name = "Consistent")
  @JsonPropertyDescription(
      "The operator's verdict on the node's Merkle root: Consistent, Behind, Ahead (within the"
          + " grace period), Diverged, Split (the lattice's members disagree past the grace period"
          + " and no root has a strict majority), NoQuorum or Unobserved (unreachable, unhealthy or"
          + " not probed).")
  private String consistency;

  @JsonPropertyDescription("The node's in-cluster HTTP base URL (its Service DNS name).")
  private String address;

  @JsonPropertyDescription(
      "The Merkle root (hex SHA-256) of the node's state, as last written. While data flows it is"
          + " refreshed at most once per the operator's status refresh interval (LATTICE_STATUS_REFRESH_SECONDS);"
          + " metrics, kubectl lattice and the status page show it live.")
  private String merkleRoot;

  @JsonPropertyDescription(
      "The number of entries the node has applied, as last written (refreshed like merkleRoot).")
  private Long version;

  @JsonPropertyDescription("When the node's active sync path last changed, as the node reports it.")
  private String syncModeSince;

  @JsonPropertyDescription(
      "When merkleRoot and version were last written. Probes that see nothing new write nothing,"
          + " so an idle lattice causes no status writes; under traffic these moving values are"
          + " written at most once per status refresh interval.")
  private String lastProbeTime;

  @JsonPropertyDescription(
      "When the node was first seen holding a root other than the lattice's reference root;"
          + " the divergence grace period runs from here. Absent while it is consistent.")
  private String mismatchSince;

  @JsonPropertyDescription(
      "When the node was first judged Diverged, or its lattice Split. Absent while it is neither.")
  private String divergedSince;

  @JsonPropertyDescription(
      "When the node's Deployment was first seen available. Until then the node is starting: a"
          + " failed probe is not an outage (Reachable=Unknown/NodeStarting, no NodeUnreachable"
          + " Event or alert) until the operator's startup deadline has passed.")
  private String firstAvailableTime;

  @JsonPropertyDescription(
      "The node's place in its lattice's rollout: revisions run and wanted, and what it waits for."
          + " Changes that restart a node are applied to one member at a time (docs/operations.md).")
  private RolloutStatus rollout;

  @JsonPropertyDescription(
      "Where the node's Merkle trie differs from another member's (missing and extra entries,"
          + " buckets, samples), found by the operator while the node is Diverged or its lattice"
          + " Split. Absent otherwise.")
  private DivergenceStatus divergence;

  @JsonPropertyDescription("What the operator did to repair the node (spec.selfHeal), if anything.")
  private SelfHealStatus selfHeal;

  @JsonPropertyDescription(
      "Conditions in the metav1.Condition shape. Ready: the Deployment is available and the node"
          + " answers healthy. Reachable: the operator's probes succeed. MerkleConsistent: the node"
          + " holds the lattice's reference root (reasons Consistent, Behind, Ahead, Diverged, Split,"
          + " NoQuorum). P2PConnected: the node syncs over P2P (False with reason HttpFallback while"
          + " it runs on HTTP in auto mode).")
  private List<Condition> conditions;

  /** A field-by-field copy (lists are shared; they are replaced, never mutated). */
  public LatticeNodeStatus copy() {
    LatticeNodeStatus c = new LatticeNodeStatus();
    c.observedGeneration = observedGeneration;
    c.phase = phase;
    c.syncMode = syncMode;
    c.peerCount = peerCount;
    c.rootShort = rootShort;
    c.consistency = consistency;
    c.address = address;
    c.merkleRoot = merkleRoot;
    c.version = version;
    c.syncModeSince = syncModeSince;
    c.lastProbeTime = lastProbeTime;
    c.mismatchSince = mismatchSince;
    c.divergedSince = divergedSince;
    c.firstAvailableTime = firstAvailableTime;
    c.rollout = rollout;
    c.divergence = divergence;
    c.selfHeal = selfHeal;
    c.conditions = conditions;
    return c;
  }

  public SelfHealStatus getSelfHeal() {
    return selfHeal;
  }

  public void setSelfHeal(SelfHealStatus selfHeal) {
    this.selfHeal = selfHeal;
  }

  public DivergenceStatus getDivergence() {
    return divergence;
  }

  public void setDivergence(DivergenceStatus divergence) {
    this.divergence = divergence;
  }

  public RolloutStatus getRollout() {
    return rollout;
  }

  public void setRollout(RolloutStatus rollout) {
    this.rollout = rollout;
  }

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

  public String getSyncMode() {
    return syncMode;
  }

  public void setSyncMode(String syncMode) {
    this.syncMode = syncMode;
  }

  public Integer getPeerCount() {
    return peerCount;
  }

  public void setPeerCount(Integer peerCount) {
    this.peerCount = peerCount;
  }

  public String getRootShort() {
    return rootShort;
  }

  public void setRootShort(String rootShort) {
    this.rootShort = rootShort;
  }

  public String getConsistency() {
    return consistency;
  }

  public void setConsistency(String consistency) {
    this.consistency = consistency;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getMerkleRoot() {
    return merkleRoot;
  }

  public void setMerkleRoot(String merkleRoot) {
    this.merkleRoot = merkleRoot;
  }

  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }

  public String getSyncModeSince() {
    return syncModeSince;
  }

  public void setSyncModeSince(String syncModeSince) {
    this.syncModeSince = syncModeSince;
  }

  public String getLastProbeTime() {
    return lastProbeTime;
  }

  public void setLastProbeTime(String lastProbeTime) {
    this.lastProbeTime = lastProbeTime;
  }

  public String getMismatchSince() {
    return mismatchSince;
  }

  public void setMismatchSince(String mismatchSince) {
    this.mismatchSince = mismatchSince;
  }

  public String getDivergedSince() {
    return divergedSince;
  }

  public void setDivergedSince(String divergedSince) {
    this.divergedSince = divergedSince;
  }

  public String getFirstAvailableTime() {
    return firstAvailableTime;
  }

  public void setFirstAvailableTime(String firstAvailableTime) {
    this.firstAvailableTime = firstAvailableTime;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** Equal in everything a reader would act on: lastProbeTime alone never justifies a write. */
  public boolean sameAs(LatticeNodeStatus other) {
    if (other == null) {
      return false;
    }
    LatticeNodeStatus a = copy();
    LatticeNodeStatus b = other.copy();
    a.lastProbeTime = null;
    b.lastProbeTime = null;
    return a.equals(b);
  }

  /**
   * This status without the values that move while data flows (root, version, and when they were
   * written): what decides whether a change is worth a write at once.
   */
  public LatticeNodeStatus withoutMovingValues() {
    LatticeNodeStatus c = copy();
    c.merkleRoot = null;
    c.rootShort = null;
    c.version = null;
    c.lastProbeTime = null;
    return c;
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
        && Objects.equals(syncMode, other.syncMode)
        && Objects.equals(peerCount, other.peerCount)
        && Objects.equals(rootShort, other.rootShort)
        && Objects.equals(consistency, other.consistency)
        && Objects.equals(address, other.address)
        && Objects.equals(merkleRoot, other.merkleRoot)
        && Objects.equals(version, other.version)
        && Objects.equals(syncModeSince, other.syncModeSince)
        && Objects.equals(lastProbeTime, other.lastProbeTime)
        && Objects.equals(mismatchSince, other.mismatchSince)
        && Objects.equals(divergedSince, other.divergedSince)
        && Objects.equals(firstAvailableTime, other.firstAvailableTime)
        && Objects.equals(rollout, other.rollout)
        && Objects.equals(divergence, other.divergence)
        && Objects.equals(selfHeal, other.selfHeal)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, phase, syncMode, peerCount, rootShort, consistency, address,
        merkleRoot, version, syncModeSince, lastProbeTime, mismatchSince, divergedSince,
        firstAvailableTime, rollout, divergence, selfHeal, conditions);
  }
}
