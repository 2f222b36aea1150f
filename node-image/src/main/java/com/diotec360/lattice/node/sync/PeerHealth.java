package com.diotec360.lattice.node.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the HTTP sync knows about one peer: failures, back-off, last root seen. */
public final class PeerHealth {
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /** Snapshot for the status endpoint. */
    public record View(boolean reachable, int consecutiveFailures, String lastMerkleRoot, String lastError,
                       String nodeName, boolean self, Instant lastSuccess) {
    }

    final AtomicBoolean busy = new AtomicBoolean();
    private int failures;
    private Instant nextAttempt = Instant.EPOCH;
    private Instant lastSuccess;
    private String lastRoot;
    private String lastError;
    private String nodeName;
    private boolean self;

    synchronized boolean due(Instant now) {
        return !self && !now.isBefore(nextAttempt);
    }

    synchronized boolean isSelf() {
        return self;
    }

    /** Records a success; returns true if the peer had been failing (it recovered). */
    synchronized boolean success(Instant now, String root, String name, boolean isSelf) {
        boolean recovered = failures > 0;
        failures = 0;
        nextAttempt = Instant.EPOCH;
        lastSuccess = now;
        lastRoot = root;
        lastError = null;
        nodeName = name;
        self = isSelf;
        return recovered;
    }

    /** Records a failure and backs off exponentially; returns the failure count. */
    synchronized int failure(Instant now, Duration pollInterval, String error) {
        failures++;
        lastError = error;
        if (failures > 1) {
            long factor = 1L << Math.min(failures - 1, 16);
            Duration delay = pollInterval.multipliedBy(factor);
            nextAttempt = now.plus(delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay);
        }
        return failures;
    }

    public synchronized View view() {
        return new View(failures == 0 && lastSuccess != null, failures, lastRoot, lastError, nodeName, self,
                lastSuccess);
    }
}
