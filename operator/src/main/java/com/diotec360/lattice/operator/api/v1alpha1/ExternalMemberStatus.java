package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What the operator saw and judged of one external member (Lattice status.externalMembers). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ExternalMemberStatus {

  @JsonPropertyDescription("The external member's name (spec.externalMembers[].name).")
  private String name;

  @JsonPropertyDescription("Its URL, as probed.")
  private String url;

  @JsonPropertyDescription("Its role (spec.externalMembers[].role).")
  private String role;

  @JsonPropertyDescription(
      "True while it answers the node contract (/health, /api/lattice/state,"
          + " /api/lattice/p2p/status); false after the operator's unreachable threshold of failed"
          + " probes in a row.")
  private Boolean reachable;

  @JsonPropertyDescription(
      "The judge's verdict, as for a LatticeNode's status.consistency: Consistent, Behind, Ahead,"
          + " Diverged, Split, NoQuorum or Unobserved (not answering: never divergent).")
  private String consistency;

  @JsonPropertyDescription(
      "The Merkle root it reported. A moving value: refreshed at most once per status refresh"
          + " interval while nothing else changes.")
  private String merkleRoot;

  @JsonPropertyDescription("Entries it applied (a moving value, as merkleRoot).")
  private Long version;

  @JsonPropertyDescription("Its active sync path: P2P or HTTP.")
  private String syncMode;

  @JsonPropertyDescription(
      "Why it is not reachable or not judged: what it answered (e.g. 'GET /health answered 404',"
          + " 'GET /api/lattice/state answered text/html, not JSON') or the connection error.")
  private String message;

  @JsonPropertyDescription(
      "Where it differs from a member holding the reference root, when Diverged or Split: the"
          + " Merkle tree walk's summary, or why none could be made (root only).")
  private String evidence;

  @JsonPropertyDescription("When it was first seen on a root other than the reference (the grace period's start).")
  private String mismatchSince;

  @JsonPropertyDescription("When it was first judged Diverged.")
  private String divergedSince;

  public ExternalMemberStatus() {}

  public ExternalMemberStatus(String name, String url, String role) {
    this.name = name;
    this.url = url;
    this.role = role;
  }

  /** This entry without its moving values (root and version). */
  public ExternalMemberStatus withoutMovingValues() {
    ExternalMemberStatus c = copy();
    c.merkleRoot = null;
    c.version = null;
    return c;
  }

  public ExternalMemberStatus copy() {
    ExternalMemberStatus c = new ExternalMemberStatus(name, url, role);
    c.reachable = reachable;
    c.consistency = consistency;
    c.merkleRoot = merkleRoot;
    c.version = version;
    c.syncMode = syncMode;
    c.message = message;
    c.evidence = evidence;
    c.mismatchSince = mismatchSince;
    c.divergedSince = divergedSince;
    return c;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public Boolean getReachable() {
    return reachable;
  }

  public void setReachable(Boolean reachable) {
    this.reachable = reachable;
  }

  public String getConsistency() {
    return consistency;
  }

  public void setConsistency(String consistency) {
    this.consistency = consistency;
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

  public String getSyncMode() {
    return syncMode;
  }

  public void setSyncMode(String syncMode) {
    this.syncMode = syncMode;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getEvidence() {
    return evidence;
  }

  public void setEvidence(String evidence) {
    this.evidence = evidence;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof ExternalMemberStatus other
        && Objects.equals(name, other.name)
        && Objects.equals(url, other.url)
        && Objects.equals(role, other.role)
        && Objects.equals(reachable, other.reachable)
        && Objects.equals(consistency, other.consistency)
        && Objects.equals(merkleRoot, other.merkleRoot)
        && Objects.equals(version, other.version)
        && Objects.equals(syncMode, other.syncMode)
        && Objects.equals(message, other.message)
        && Objects.equals(evidence, other.evidence)
        && Objects.equals(mismatchSince, other.mismatchSince)
        && Objects.equals(divergedSince, other.divergedSince);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, url, role, reachable, consistency, merkleRoot, version, syncMode, message,
        evidence, mismatchSince, divergedSince);
  }
}
