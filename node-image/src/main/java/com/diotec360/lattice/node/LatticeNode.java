package com.diotec360.lattice.node;

import com.diotec360.lattice.node.api.HttpApiServer;
import com.diotec360.lattice.node.api.ResyncEndpoint;
import com.diotec360.lattice.node.api.StatusEndpoints;
import com.diotec360.lattice.node.api.SyncEndpoints;
import com.diotec360.lattice.node.api.WriteEndpoints;
import com.diotec360.lattice.node.config.NodeConfig;
import com.diotec360.lattice.node.metrics.NodeMetrics;
import com.diotec360.lattice.node.mode.HeartbeatMonitor;
import com.diotec360.lattice.node.mode.SyncModeController;
import com.diotec360.lattice.node.p2p.P2pNetwork;
import com.diotec360.lattice.node.state.LatticeState;
import com.diotec360.lattice.node.sync.AntiEntropy;
import com.diotec360.lattice.node.sync.HttpSyncPoller;
import com.diotec360.lattice.node.sync.PeerDirectory;
import com.diotec360.lattice.node.sync.PeerHttpClient;
import com.diotec360.lattice.node.sync.PeerListFileWatcher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * One lattice node: wires state, HTTP API, HTTP sync, P2P and the heartbeat monitor, and stops them
 * in reverse order. Used by {@link LatticeNodeMain} and, in-process, by tests and the benchmark.
 */
public final class LatticeNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LatticeNode.class);

    private final NodeConfig config;
    private final Clock clock;
    private LatticeState state;
    private PrometheusMeterRegistry metrics;
    private PeerDirectory directory;
    private PeerListFileWatcher peersFileWatcher;
    private PeerHttpClient client;
    private AntiEntropy antiEntropy;
    private SyncModeController modes;
    private HttpSyncPoller poller;
    private volatile P2pNetwork p2p;
    private HeartbeatMonitor heartbeat;
    private HttpApiServer api;
    private boolean closed;

    public LatticeNode(NodeConfig config) {
        this(config, Clock.systemUTC());
    }

    public LatticeNode(NodeConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Loads state and starts every part. P2P failing to start degrades to HTTP sync. */
    public synchronized LatticeNode start() throws IOException {
        long started = System.nanoTime();
        if (config.latticeSecret().isEmpty()) {
            LOG.atWarn().addKeyValue("event", "lattice_secret_missing")
                    .log("DIOTEC360_LATTICE_SECRET is not set: writes and mode switches answer 503 and P2P refuses"
                            + " every peer; only HTTP pull sync works");
        }
        state = LatticeState.open(config.stateDir(), config.snapshotMinRecords(), clock);
        metrics = NodeMetrics.create();
        directory = new PeerDirectory(config.latticeNodes());
        config.peersFile().ifPresent(file -> peersFileWatcher = new PeerListFileWatcher(file, config.latticeNodes(),
                directory, config.peersFilePollInterval()));
        client = new PeerHttpClient(Duration.ofSeconds(60));
        modes = new SyncModeController(config.initialMode(), config.p2pEnabled(), config.peerlessTimeout(),
                clock.instant());
        antiEntropy = new AntiEntropy(state, client, config.latticeSecret());
        poller = new HttpSyncPoller(config.nodeName(), directory, antiEntropy, modes, config.httpPollInterval(), clock,
                this::p2pLinkedTo);
        if (config.p2pEnabled()) {
            startP2p();
        }
        heartbeat = new HeartbeatMonitor(modes, this::peerCount, this::p2pRunning, config.heartbeatInterval(), clock,
                config.nodeName());
        NodeMetrics.bind(metrics, state, modes, this::peerCount, client);
        api = new HttpApiServer(config.bindAddress(), config.httpPort(), config.nodeName());
        new StatusEndpoints(this).register(api);
        new SyncEndpoints(state).register(api);
        new WriteEndpoints(this).register(api);
        new ResyncEndpoint(this).register(api);
        api.start();
        LOG.atInfo().addKeyValue("event", "node_ready").addKeyValue("node_name", config.nodeName())
                .addKeyValue("role", config.role()).addKeyValue("http_port", api.port())
                .addKeyValue("p2p_port", p2pRunning() ? p2p.port() : -1)
                .addKeyValue("sync_mode", modes.current().name()).addKeyValue("peers", directory.peers().toString())
                .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("Lattice node ready");
        return this;
    }

    /**
     * Starts (or restarts) the P2P network; returns whether it runs. Operators and tests use it to restore
     * P2P. The node keeps one {@link P2pNetwork} for its life and starts and stops it; starting what
     * runs does nothing.
     */
    public synchronized boolean startP2p() {
        if (p2p == null) {
            p2p = new P2pNetwork(config.nodeName(), config.latticeSecret(), state, directory, client,
                    count -> modes.onPeerCount(count, clock.instant()), poller::reconcileNow,
                    config.heartbeatInterval().compareTo(Duration.ofSeconds(5)) < 0 ? config.heartbeatInterval()
                            : Duration.ofSeconds(5));
        }
        if (p2p.isRunning()) {
            return true;
        }
        boolean started;
        if (config.p2pPort() == 0 && p2p.port() > 0) {
            // The kernel picked the port: keep it if we can (peers may still dial it), else take a new one;
            // peers read the current port from /api/lattice/p2p/status before every dial.
            started = p2p.start(config.bindAddress(), p2p.port()) || p2p.start(config.bindAddress(), 0);
        } else {
            started = p2p.start(config.bindAddress(), config.p2pPort());
        }
        if (!started) {
            modes.onHeartbeat(0, false, clock.instant());
        }
        return started;
    }

    /** Stops the P2P network (listener, links, its threads); HTTP sync takes over on the next heartbeat. */
    public synchronized void stopP2p() {
        P2pNetwork network = p2p;
        if (network != null) {
            network.stop();
            modes.onPeerCount(0, clock.instant());
        }
    }

    /**
     * Whether {@code peer} has a live authenticated P2P link: one this node dialed to that URL, or one
     * from the node of that name (known once HTTP has answered once). Read by the HTTP poller, which in
     * P2P mode still polls the peers without one.
     */
    private boolean p2pLinkedTo(URI peer, String peerNodeName) {
        P2pNetwork network = p2p;
        if (network == null || !network.isRunning()) {
            return false;
        }
        return network.connectedTo(peer)
                || peerNodeName != null && network.connectedPeerNames().contains(peerNodeName);
    }

    private int peerCount() {
        P2pNetwork network = p2p;
        return network == null || !network.isRunning() ? 0 : network.peerCount();
    }

    private boolean p2pRunning() {
        P2pNetwork network = p2p;
        return network != null && network.isRunning();
    }

    /** Stops accepting calls, stops sync and flushes the log. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.atInfo().addKeyValue("event", "node_stopping").addKeyValue("node_name", config.nodeName())
                .log("Lattice node stopping");
        closeQuietly(api);
        closeQuietly(heartbeat);
        closeQuietly(peersFileWatcher);
        closeQuietly(p2p);
        closeQuietly(poller);
        closeQuietly(state);
        if (metrics != null) {
            metrics.close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    public NodeConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public LatticeState state() {
        return state;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public PeerDirectory directory() {
        return directory;
    }

    public SyncModeController modes() {
        return modes;
    }

    public HttpSyncPoller poller() {
        return poller;
    }

    public P2pNetwork p2p() {
        return p2p;
    }

    public HeartbeatMonitor heartbeat() {
        return heartbeat;
    }

    /** One reconciliation with a peer, as the HTTP lung runs it (this node's secret, automatic pull choice). */
    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    public PeerHttpClient httpClient() {
        return client;
    }

    public int httpPort() {
        return api.port();
    }

    public int p2pPort() {
        return p2pRunning() ? p2p.port() : -1;
    }
}
