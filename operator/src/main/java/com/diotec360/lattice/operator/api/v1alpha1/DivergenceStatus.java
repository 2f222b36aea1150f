package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/**
 * Where a diverged (or split) member's Merkle trie differs from another member's, as the operator
 * found by walking both tries. Present only while the node is Diverged (Behind, Ahead, Forked past
 * the grace period) or Split.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DivergenceStatus {

  @JsonPropertyDescription(
      "The member the node was compared with: one holding the reference root, or for a split"
          + " lattice one on the other side.")
  private String comparedWith;

  @JsonPropertyDescription("When the comparison was made.")
  private String at;

  @JsonPropertyDescription("Entries the other member holds and the node lacks.")
  private Integer missing;

  @JsonPropertyDescription("Entries the node holds and the other member lacks.")
  private Integer extra;

  @JsonPropertyDescription("The first differing leaf buckets (hex prefixes of entry ids).")
  private List<String> buckets;

  @JsonPropertyDescription("Ids of entries the node lacks (up to 5 samples with extraSamples).")
  private List<String> missingSamples;

  @JsonPropertyDescription("Ids of entries only the node holds.")
  private List<String> extraSamples;

  @JsonPropertyDescription(
      "True when more buckets differed than one comparison follows; the counts are then lower"
          + " bounds.")
  private Boolean truncated;

  @JsonPropertyDescription("The comparison's cost: tree requests to both nodes together.")
  private Integer requests;

  @JsonPropertyDescription("The comparison's cost: bytes of the nodes' answers.")
  private Long bytes;

  @JsonPropertyDescription(
      "Why no comparison could be made (the node does not serve its Merkle tree, a request"
          + " failed, nobody holds the reference root); the verdict is then root-only.")
  private String unavailable;

  @JsonPropertyDescription("The evidence in one sentence.")
  private String summary;

  public String getComparedWith() {
    return comparedWith;
  }

  public void setComparedWith(String comparedWith) {
    this.comparedWith = comparedWith;
  }

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }

  public Integer getMissing() {
    return missing;
  }

  public void setMissing(Integer missing) {
    this.missing = missing;
  }

  public Integer getExtra() {
    return extra;
  }

  public void setExtra(Integer extra) {
    this.extra = extra;
  }

  public List<String> getBuckets() {
    return buckets;
  }

  public void setBuckets(List<String> buckets) {
    this.buckets = buckets;
  }

  public List<String> getMissingSamples() {
    return missingSamples;
  }

  public void setMissingSamples(List<String> missingSamples) {
    this.missingSamples = missingSamples;
  }

  public List<String> getExtraSamples() {
    return extraSamples;
  }

  public void setExtraSamples(List<String> extraSamples) {
    this.extraSamples = extraSamples;
  }

  public Boolean getTruncated() {
    return truncated;
  }

  public void setTruncated(Boolean truncated) {
    this.truncated = truncated;
  }

  public Integer getRequests() {
    return requests;
  }

  public void setRequests(Integer requests) {
    this.requests = requests;
  }

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }

  public String getUnavailable() {
    return unavailable;
  }

  public void setUnavailable(String unavailable) {
    this.unavailable = unavailable;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }

  /** True when a comparison was made (counts are known). */
  public boolean compared() {
    return unavailable == null && missing != null && extra != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DivergenceStatus d
        && Objects.equals(comparedWith, d.comparedWith)
        && Objects.equals(at, d.at)
        && Objects.equals(missing, d.missing)
        && Objects.equals(extra, d.extra)
        && Objects.equals(buckets, d.buckets)
        && Objects.equals(missingSamples, d.missingSamples)
        && Objects.equals(extraSamples, d.extraSamples)
        && Objects.equals(truncated, d.truncated)
        && Objects.equals(requests, d.requests)
        && Objects.equals(bytes, d.bytes)
        && Objects.equals(unavailable, d.unavailable)
        && Objects.equals(summary, d.summary);
  }

  @Override
  public int hashCode() {
    return Objects.hash(comparedWith, at, missing, extra, buckets, missingSamples, extraSamples,
        truncated, requests, bytes, unavailable, summary);
  }
}
