package com.diotec360.lattice.node.sync;

import com.diotec360.lattice.node.mode.ModeSetting;
import com.diotec360.lattice.node.mode.SyncMode;
import com.diotec360.lattice.node.mode.SyncModeController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP lung: while the active sync mode is HTTP, every poll interval reconcile with each peer
 * ({@link AntiEntropy}). While it is P2P (setting {@code auto}), every poll interval reconcile with each
 * peer that has no live authenticated P2P link: the other lung to that one peer, so a P2P graph split
 * into parts that each still have peers cannot leave the parts apart while HTTP between them works.
 * Single failures are quiet (DEBUG); a peer failing repeatedly is logged once and backed off
 * exponentially. Also runs one-off reconciliations on request (P2P reconnects).
 */
public final class HttpSyncPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSyncPoller.class);
    private static final int QUIET_FAILURES = 3;

    /** The P2P lung as the poller sees it: is there a live authenticated link to this peer? */
    @FunctionalInterface
    public interface P2pLinks {
        /** {@code nodeName} is the peer's name as its HTTP API last told it, or null if not known yet. */
        boolean linked(URI peer, String nodeName);
    }

    private final String nodeName;
    private final PeerDirectory directory;
    private final AntiEntropy antiEntropy;
    private final SyncModeController modes;
    private final Duration pollInterval;
    private final Clock clock;
    private final P2pLinks p2pLinks;
    /** The peers the last P2P-mode tick polled for want of a P2P link (logged when it changes). */
    private volatile List<URI> fallbackPeers = List.of();
    private final Map<URI, PeerHealth> health = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;

    public HttpSyncPoller(String nodeName, PeerDirectory directory, AntiEntropy antiEntropy,
                          SyncModeController modes, Duration pollInterval, Clock clock, P2pLinks p2pLinks) {
        this.nodeName = nodeName;
        this.directory = directory;
        this.antiEntropy = antiEntropy;
        this.modes = modes;
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.p2pLinks = p2pLinks;
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
        try {
            boolean httpMode = enabled();
            if (!httpMode && modes.setting() != ModeSetting.AUTO) {
                return;
            }
            Instant now = clock.instant();
            List<URI> unlinked = new ArrayList<>();
            for (URI peer : directory.peers()) {
                PeerHealth h = healthOf(peer);
                if (!httpMode) {
                    if (h.isSelf() || p2pLinks.linked(peer, h.view().nodeName())) {
                        continue;
                    }
                    unlinked.add(peer);
                }
                if (h.due(now)) {
                    submit(peer, h);
                }
            }
            if (!httpMode && !unlinked.equals(fallbackPeers)) {
                fallbackPeers = List.copyOf(unlinked);
                LOG.atInfo().addKeyValue("event", "http_fallback_peers").addKeyValue("peers", unlinked.toString())
                        .log("In P2P mode, polling over HTTP the peers without a P2P link");
            }
        } catch (RuntimeException e) {
            // never let one bad tick end the schedule (a scheduled task that throws is not run again)
            LOG.warn("HTTP sync tick failed: {}", e.toString());
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
