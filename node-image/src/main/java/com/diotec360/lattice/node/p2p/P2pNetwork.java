package com.diotec360.lattice.node.p2p;

import com.diotec360.lattice.node.state.Entry;
import com.diotec360.lattice.node.state.LatticeState;
import com.diotec360.lattice.node.sync.PeerDirectory;
import com.diotec360.lattice.node.sync.PeerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The P2P lung: listens on the P2P port, dials every configured peer (its P2P address is the host of
 * its HTTP URL plus the {@code p2p_port} it reports), authenticates links with {@link Handshake},
 * pushes newly applied entries to every link at once (gossip: entries new to a node are forwarded,
 * known ones stop), keeps links alive with pings and redials with back-off.
 * Peer count = distinct authenticated remote node names.
 */
public final class P2pNetwork implements AutoCloseable, LatticeState.Listener, PeerConnection.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(P2pNetwork.class);
    private static final int HANDSHAKE_TIMEOUT_MS = 3000;
    private static final int PING_MS = 1000;
    private static final int READ_TIMEOUT_MS = 5000;
    private static final int MAX_FRAME_PAYLOAD = 4 * 1024 * 1024;

    private final String localName;
    private final byte[] secret;
    private final LatticeState state;
    private final PeerDirectory directory;
    private final PeerHttpClient httpClient;
    private final IntConsumer peerCountListener;
    private final Consumer<URI> onOutboundConnected;
    private final Duration maxBackoff;
    private final Set<PeerConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<URI, DialState> dialStates = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService dialers;
    private final ExecutorService pusher;
    private ServerSocket server;
    private volatile boolean running;

    private static final class DialState {
        volatile boolean busy;
        volatile long nextDialNanos;
        volatile int failures;
        volatile boolean self;
        volatile String address;
    }

    public P2pNetwork(String localName, Optional<String> secret, LatticeState state, PeerDirectory directory,
                      PeerHttpClient httpClient, IntConsumer peerCountListener, Consumer<URI> onOutboundConnected,
                      Duration maxBackoff) {
        this.localName = localName;
        this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.state = state;
        this.directory = directory;
        this.httpClient = httpClient;
        this.peerCountListener = peerCountListener;
        this.onOutboundConnected = onOutboundConnected;
        this.maxBackoff = maxBackoff;
        this.scheduler = Executors.newScheduledThreadPool(1, daemon("p2p-timer-" + localName));
        this.dialers = Executors.newFixedThreadPool(4, daemon("p2p-dial-" + localName));
        this.pusher = Executors.newSingleThreadExecutor(daemon("p2p-push-" + localName));
    }

    /** Binds the listener and starts dialing. Returns false (and logs why) if P2P could not start. */
    public synchronized boolean start(String bindAddress, int port) {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port));
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().addKeyValue("event", "p2p_start_failed").addKeyValue("port", port)
                    .addKeyValue("error", e.toString()).log("P2P could not start; the node continues on HTTP sync");
            closeQuietly();
            return false;
        }
        running = true;
        Thread acceptor = new Thread(this::acceptLoop, "p2p-accept-" + localName);
        acceptor.setDaemon(true);
        acceptor.start();
        scheduler.scheduleWithFixedDelay(this::dialDuePeers, 0, 200, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::keepAlive, PING_MS, PING_MS, TimeUnit.MILLISECONDS);
        directory.onChange(this::onPeerListChanged);
        LOG.atInfo().addKeyValue("event", "p2p_started").addKeyValue("p2p_port", server.getLocalPort())
                .log("P2P listener started");
        return true;
    }

    public boolean isRunning() {
        return running;
    }

    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    public int peerCount() {
        return (int) connections.stream().filter(PeerConnection::isOpen).map(PeerConnection::remoteName)
                .distinct().count();
    }

    /** Whether a live link to the peer with this HTTP URL exists (dialed by us). */
    public boolean connectedTo(URI peer) {
        return connections.stream().anyMatch(c -> c.isOpen() && peer.equals(c.peerUrl()));
    }

    public String p2pAddressOf(URI peer) {
        DialState d = dialStates.get(peer);
        return d == null ? null : d.address;
    }

    public List<String> connectedPeerNames() {
        return connections.stream().filter(PeerConnection::isOpen).map(PeerConnection::remoteName).distinct()
                .sorted().collect(Collectors.toList());
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket socket = server.accept();
                dialers.execute(() -> {
                    try {
                        register(PeerConnection.handshake(socket, PeerConnection.Direction.INBOUND, null, secret,
                                localName, HANDSHAKE_TIMEOUT_MS));
                    } catch (IOException e) {
                        LOG.atWarn().addKeyValue("event", "p2p_auth_refused")
                                .addKeyValue("remote", String.valueOf(socket.getRemoteSocketAddress()))
                                .addKeyValue("reason", e.getMessage()).log("Refused an inbound P2P connection");
                    }
                });
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (running) {
                    LOG.debug("P2P accept failed: {}", e.toString());
                }
            }
        }
    }

    private void dialDuePeers() {
        if (!running || secret == null) {
            return;
        }
        long now = System.nanoTime();
        for (URI peer : directory.peers()) {
            DialState d = dialStates.computeIfAbsent(peer, p -> new DialState());
            if (d.self || d.busy || now - d.nextDialNanos < 0 || connectedTo(peer)) {
                continue;
            }
            d.busy = true;
            dialers.execute(() -> {
                try {
                    dial(peer, d);
                } finally {
                    d.busy = false;
                }
            });
        }
    }

    private void dial(URI peer, DialState d) {
        try {
            PeerHttpClient.P2pInfo info = httpClient.p2pInfo(peer);
            if (localName.equals(info.nodeName())) {
                d.self = true;
                return;
            }
            if (!info.started() || info.p2pPort() <= 0) {
                throw new IOException("peer reports P2P not started");
            }
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(peer.getHost(), info.p2pPort()), 2000);
            d.address = peer.getHost() + ":" + info.p2pPort();
            PeerConnection c = PeerConnection.handshake(socket, PeerConnection.Direction.OUTBOUND, peer, secret,
                    localName, HANDSHAKE_TIMEOUT_MS);
            d.failures = 0;
            if (register(c)) {
                onOutboundConnected.accept(peer);
            }
        } catch (IOException | RuntimeException e) {
            d.failures++;
            long backoff = Math.min(maxBackoff.toMillis(), 200L << Math.min(d.failures, 10));
            d.nextDialNanos = System.nanoTime() + backoff * 1_000_000;
            if (d.failures == 1 || e instanceof Handshake.Refused) {
                LOG.atDebug().addKeyValue("peer", peer.toString()).addKeyValue("error", e.toString())
                        .log("P2P dial failed");
            }
        }
    }

    private boolean register(PeerConnection c) {
        if (!running) {
            c.close();
            return false;
        }
        if (localName.equals(c.remoteName())) {
            c.close();
            return false;
        }
        connections.add(c);
        c.start(this, READ_TIMEOUT_MS);
        LOG.atInfo().addKeyValue("event", "p2p_peer_connected").addKeyValue("peer", c.remoteName())
                .addKeyValue("direction", c.direction().name().toLowerCase())
                .addKeyValue("remote", c.remoteAddress()).addKeyValue("peer_count", peerCount())
                .log("P2P peer connected");
        peerCountListener.accept(peerCount());
        return true;
    }

    @Override
    public void onClosed(PeerConnection c, String reason) {
        if (connections.remove(c)) {
            LOG.atInfo().addKeyValue("event", "p2p_peer_disconnected").addKeyValue("peer", c.remoteName())
                    .addKeyValue("direction", c.direction().name().toLowerCase())
                    .addKeyValue("reason", reason).addKeyValue("peer_count", peerCount())
                    .log("P2P peer disconnected");
            peerCountListener.accept(peerCount());
        }
    }

    @Override
    public void onEntries(PeerConnection from, List<byte[]> items) {
        List<Entry> entries = new ArrayList<>(items.size());
        items.forEach(i -> entries.add(Entry.of(i)));
        state.add(entries, from).exceptionally(e -> {
            LOG.warn("Could not store {} entries from {}: {}", entries.size(), from.remoteName(), e.toString());
            return null;
        });
    }

    /** Pushes newly applied entries to every link except the one they came from. */
    @Override
    public void onApplied(List<Entry> entries, Object origin) {
        if (!running || connections.isEmpty()) {
            return;
        }
        pusher.execute(() -> {
            List<Frame> frames = toFrames(entries);
            for (PeerConnection c : connections) {
                if (c != origin && c.isOpen()) {
                    frames.forEach(c::send);
                }
            }
        });
    }

    private static List<Frame> toFrames(List<Entry> entries) {
        List<Frame> frames = new ArrayList<>();
        List<byte[]> chunk = new ArrayList<>();
        int bytes = 0;
        for (Entry e : entries) {
            if (!chunk.isEmpty() && bytes + e.data().length + 4 > MAX_FRAME_PAYLOAD) {
                frames.add(new Frame(Frame.ENTRIES, Frame.encodeEntries(chunk)));
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(e.data());
            bytes += e.data().length + 4;
        }
        if (!chunk.isEmpty()) {
            frames.add(new Frame(Frame.ENTRIES, Frame.encodeEntries(chunk)));
        }
        return frames;
    }

    private void keepAlive() {
        for (PeerConnection c : connections) {
            if (c.millisSinceLastFrame() > READ_TIMEOUT_MS) {
                c.close();
            } else {
                c.send(new Frame(Frame.PING, new byte[0]));
            }
        }
    }

    private void onPeerListChanged(List<URI> peers) {
        dialStates.keySet().retainAll(peers);
        for (PeerConnection c : connections) {
            if (c.peerUrl() != null && !peers.contains(c.peerUrl())) {
                c.close();
            }
        }
    }

    /** Stops listening and drops every link (peers see the disconnect at once). */
    @Override
    public synchronized void close() {
        running = false;
        closeQuietly();
        connections.forEach(PeerConnection::close);
        scheduler.shutdownNow();
        dialers.shutdownNow();
        pusher.shutdownNow();
    }

    private void closeQuietly() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // already closing
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
