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
 */
public record NodeObservation(
    boolean healthy,
    String unhealthyReason,
    String merkleRoot,
    long version,
    String syncMode,
    String mode,
    Instant syncModeSince,
    int peerCount) {}
