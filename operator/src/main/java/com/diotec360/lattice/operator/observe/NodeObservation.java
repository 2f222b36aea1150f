package com.diotec360.lattice.operator.observe;

import java.time.Instant;

/**
 * What a node said about itself in one successful probe. Only values that matter to the judge and
 * the status are kept; counters that move every second (seconds_without_peers) are left out so an
 * idle node gives equal observations probe after probe.
 *
 * @param healthy /health answered 200 "healthy"
 * @param unhealthyReason the reason of a 503, else null
 * @param merkleRoot hex SHA-256 of the node's state
 * @param version count of applied entries
 * @param syncMode the active sync path, "P2P" or "HTTP"
 * @param mode the node's setting, "auto", "p2p" or "http"
 * @param syncModeSince when the active sync path last changed, per the node
 * @param peerCount authenticated P2P peers
 * @param links what the node says of each peer it was given: P2P link up, HTTP polls failing
 */
public record NodeObservation(
    boolean healthy,
    String unhealthyReason,
    String merkleRoot,
    long version,
    String syncMode,
    String mode,
    Instant syncModeSince,
    int peerCount,
    java.util.List<PeerLink> links) {

  /** An observation without peer links (a node that does not list its peers). */
  public NodeObservation(
      boolean healthy,
      String unhealthyReason,
      String merkleRoot,
      long version,
      String syncMode,
      String mode,
      Instant syncModeSince,
      int peerCount) {
    this(healthy, unhealthyReason, merkleRoot, version, syncMode, mode, syncModeSince, peerCount,
        java.util.List.of());
  }

  /**
   * One peer as the node sees it ({@code /api/lattice/p2p/status} peers[]). Only what does not move
   * every poll is kept, so an idle lattice still gives equal observations.
   *
   * @param url the peer's base URL as the node was given it
   * @param name the peer's node name, once the node has heard from it, else null
   * @param p2p a P2P link to the peer is up
   * @param httpError the error of the node's last HTTP poll of the peer while those polls fail,
   *     else null
   */
  public record PeerLink(String url, String name, boolean p2p, String httpError) {}
}
