package com.diotec360.lattice.node.sync;

import com.diotec360.lattice.node.mode.SyncMode;
import com.diotec360.lattice.node.mode.SyncModeController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP lung: while the active sync mode is HTTP, every poll interval reconcile with each peer
 * ({@link AntiEntropy}). Single failures are quiet (DEBUG); a peer failing repeatedly is logged once
 * and backed off exponentially. Also runs one-off reconciliations on request (P2P reconnects).
 */
public final class HttpSyncPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSyncPoller.class);
    private static final int QUIET_FAILURES = 3;

    private final String nodeName;
    private final PeerDirectory directory;
    private final AntiEntropy antiEntropy;
    private final SyncModeController modes;
    private final Duration pollInterval;
    private final Clock clock;
    private final Map<URI, PeerHealth> health = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;

    public HttpSyncPoller(String nodeName, PeerDirectory directory, AntiEntropy antiEntropy,
                          SyncModeController modes, Duration pollInterval, Clock clock) {
        this.nodeName = nodeName;
        this.directory = directory;
        this.antiEntropy = antiEntropy;
        this.modes = modes;
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("http-sync-" + nodeName));
        this.workers = Executors.newFixedThreadPool(2, daemon("http-sync-worker-" + nodeName));
        directory.onChange(peers -> health.keySet().retainAll(peers));
        modes.onChange(mode -> {
            if (mode == SyncMode.HTTP) {
                scheduler.execute(this::tick);
            }
        });
        scheduler.scheduleWithFixedDelay(this::tick, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean enabled() {
        return modes.current() == SyncMode.HTTP;
    }

    private void tick() {
        if (!enabled()) {
            return;
        }
        Instant now = clock.instant();
        for (URI peer : directory.peers()) {
            PeerHealth h = healthOf(peer);
            if (h.due(now)) {
                submit(peer, h);
            }
        }
    }

    /** Reconciles with {@code peer} now, whatever the mode (used when a P2P link comes up). */
    public void reconcileNow(URI peer) {
        submit(peer, healthOf(peer));
    }

    public PeerHealth.View peerView(URI peer) {
        PeerHealth h = health.get(peer);
        return h == null ? new PeerHealth().view() : h.view();
    }

    private PeerHealth healthOf(URI peer) {
        return health.computeIfAbsent(peer, p -> new PeerHealth());
    }

    private void submit(URI peer, PeerHealth h) {
        if (!h.busy.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    reconcile(peer, h);
                } finally {
                    h.busy.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            h.busy.set(false);
        }
    }

    private void reconcile(URI peer, PeerHealth h) {
        try {
            AntiEntropy.Result r = antiEntropy.reconcile(peer);
            boolean self = nodeName.equals(r.peerNodeName());
            if (h.success(clock.instant(), null, r.peerNodeName(), self)) {
                LOG.atInfo().addKeyValue("event", "http_peer_reachable").addKeyValue("peer", peer.toString())
                        .log("HTTP peer reachable again");
            }
            if (r.pulled() > 0 || r.pushed() > 0) {
                LOG.atInfo().addKeyValue("event", "http_sync_reconciled").addKeyValue("peer", peer.toString())
                        .addKeyValue("pulled", r.pulled()).addKeyValue("pushed", r.pushed())
                        .addKeyValue("round_trips", r.roundTrips()).addKeyValue("bytes", r.bytes())
                        .addKeyValue("method", r.method().name()).log("Reconciled state with peer over HTTP");
            }
        } catch (IOException | RuntimeException e) {
            int failures = h.failure(clock.instant(), pollInterval, PeerHttpClient.describe(e));
            if (failures == QUIET_FAILURES) {
                LOG.atWarn().addKeyValue("event", "http_peer_unreachable").addKeyValue("peer", peer.toString())
                        .addKeyValue("failures", failures).addKeyValue("error", e.toString())
                        .log("HTTP peer keeps failing; backing off");
            } else {
                LOG.debug("HTTP sync with {} failed ({} in a row): {}", peer, failures, e.toString());
            }
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
