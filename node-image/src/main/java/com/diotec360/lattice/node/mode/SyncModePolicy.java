package com.diotec360.lattice.node.mode;

import java.time.Duration;
import java.time.Instant;

/**
 * Pure decision of which sync path is active. P2P that is not running always means HTTP (a failed
 * P2P start degrades, never crashes). {@code auto}: P2P while peers exist; after
 * {@code peerlessTimeout} without peers, HTTP until a peer returns.
 */
public final class SyncModePolicy {
    private SyncModePolicy() {
    }

    public static SyncMode decide(ModeSetting setting, SyncMode current, boolean p2pRunning, int peerCount,
                                  Instant peerlessSince, Instant now, Duration peerlessTimeout) {
        if (!p2pRunning) {
            return SyncMode.HTTP;
        }
        switch (setting) {
            case P2P:
                return SyncMode.P2P;
            case HTTP:
                return SyncMode.HTTP;
            default:
                if (peerCount > 0) {
                    return SyncMode.P2P;
                }
                if (current == SyncMode.HTTP) {
                    return SyncMode.HTTP;
                }
                boolean timedOut = peerlessSince != null && !now.isBefore(peerlessSince.plus(peerlessTimeout));
                return timedOut ? SyncMode.HTTP : SyncMode.P2P;
        }
    }
}
