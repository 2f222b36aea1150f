package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Sync settings of a node: the brief's "two lungs" (P2P gossip and HTTP polling). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.peerlessTimeoutSeconds) ? self.peerlessTimeoutSeconds : 60)"
            + " > (has(self.heartbeatIntervalSeconds) ? self.heartbeatIntervalSeconds : 5)",
    message =
        "peerlessTimeoutSeconds must be greater than heartbeatIntervalSeconds: the node checks its"
            + " P2P peers every heartbeat and falls back to HTTP after the peerless timeout")
@ValidationRule(
    value =
        "!(has(self.mode) && self.mode == 'p2p' && has(self.p2p) && has(self.p2p.enabled)"
            + " && !self.p2p.enabled)",
    message = "mode 'p2p' needs p2p.enabled: set p2p.enabled to true or choose mode 'auto' or 'http'")
public class SyncSpec {

  public static final int DEFAULT_HEARTBEAT_SECONDS = 5;
  public static final int DEFAULT_PEERLESS_TIMEOUT_SECONDS = 60;
  public static final int DEFAULT_HTTP_POLL_SECONDS = 10;

  @Default("auto")
  @JsonPropertyDescription(
      "'auto' (default, production): P2P gossip, switching to HTTP polling after"
          + " peerlessTimeoutSeconds without P2P peers and back when peers return. 'p2p' or"
          + " 'http' force one mode. The operator switches a running node to this mode.")
  private SyncMode mode;

  @Min(1)
  @Max(3600)
  @Default("5")
  @JsonPropertyDescription("Seconds between P2P peer-count checks (DIOTEC360_HEARTBEAT_INTERVAL).")
  private Integer heartbeatIntervalSeconds;

  @Min(1)
  @Max(86400)
  @Default("60")
  @JsonPropertyDescription(
      "Seconds without any P2P peer before the node falls back to HTTP sync"
          + " (DIOTEC360_PEERLESS_TIMEOUT). Must be greater than heartbeatIntervalSeconds.")
  private Integer peerlessTimeoutSeconds;

  @Min(1)
  @Max(3600)
  @Default("10")
  @JsonPropertyDescription(
      "Seconds between HTTP polls of each peer's state while HTTP sync is active"
          + " (DIOTEC360_HTTP_POLL_INTERVAL).")
  private Integer httpPollIntervalSeconds;

  @JsonPropertyDescription("P2P gossip settings.")
  private P2PSpec p2p;

  public SyncMode getMode() {
    return mode;
  }

  public void setMode(SyncMode mode) {
    this.mode = mode;
  }

  public Integer getHeartbeatIntervalSeconds() {
    return heartbeatIntervalSeconds;
  }

  public void setHeartbeatIntervalSeconds(Integer heartbeatIntervalSeconds) {
    this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
  }

  public Integer getPeerlessTimeoutSeconds() {
    return peerlessTimeoutSeconds;
  }

  public void setPeerlessTimeoutSeconds(Integer peerlessTimeoutSeconds) {
    this.peerlessTimeoutSeconds = peerlessTimeoutSeconds;
  }

  public Integer getHttpPollIntervalSeconds() {
    return httpPollIntervalSeconds;
  }

  public void setHttpPollIntervalSeconds(Integer httpPollIntervalSeconds) {
    this.httpPollIntervalSeconds = httpPollIntervalSeconds;
  }

  public P2PSpec getP2p() {
    return p2p;
  }

  public void setP2p(P2PSpec p2p) {
    this.p2p = p2p;
  }
}
