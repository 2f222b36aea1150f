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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The P2P lung: listens on the P2P port, dials every configured peer (its P2P address is the host of
 * its HTTP URL plus the {@code p2p_port} it reports, or the port last reached while its HTTP fails),
 * authenticates links with {@link Handshake},
 * pushes newly applied entries to every link at once (gossip: entries new to a node are forwarded,
 * known ones stop), keeps links alive with pings and redials with back-off.
 * Peer count = distinct authenticated remote node names.
 *
 * <p>Lifecycle: {@link #start} opens one {@link Session} (listening socket, acceptor thread, timer,
 * dial and push executors) and registers this network with the state and the peer directory;
 * {@link #stop} unregisters it, closes every link and closes exactly what that session opened. Start
 * while running does nothing; stop and start may repeat (the heartbeat fallback does), and
 * {@link #close} is stop.
 */
public final class P2pNetwork implements AutoCloseable, LatticeState.Listener, PeerConnection.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(P2pNetwork.class);
    private static final int HANDSHAKE_TIMEOUT_MS = 3000;
    private static final int PING_MS = 1000;
    private static final int READ_TIMEOUT_MS = 5000;
    private static final int MAX_FRAME_PAYLOAD = 4 * 1024 * 1024;
    private static final int HANDSHAKE_THREADS = 8;
    private static final int HANDSHAKE_QUEUE = 64;

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
    /** Kept as one object so that stop removes exactly what start added to the directory. */
    private final Consumer<List<URI>> peerListListener = this::onPeerListChanged;
    /** The running session; null while stopped. Changed only under {@code this}. */
    private volatile Session session;
    /** The port of the current or last listener; -1 before the first successful bind. */
    private volatile int lastPort = -1;
    /** Inbound connections closed because the handshake workers refused them, over every session. */
    private final AtomicLong refusedInbound = new AtomicLong();

    /** Everything one {@link #start} opened; {@link #close} closes all of it. */
    private final class Session {
        final ServerSocket server;
        final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, daemon("p2p-timer-" + localName));
        final ExecutorService dialers = Executors.newFixedThreadPool(4, daemon("p2p-dial-" + localName));
        /**
         * Inbound handshakes, apart from the dialers so strangers cannot delay our own dials, and bounded:
         * a connection beyond {@value #HANDSHAKE_THREADS} running plus {@value #HANDSHAKE_QUEUE} waiting is
         * closed at once (each one waiting holds a socket; each running one at most 3 s).
         */
        final ThreadPoolExecutor handshakers = new ThreadPoolExecutor(HANDSHAKE_THREADS, HANDSHAKE_THREADS, 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(HANDSHAKE_QUEUE), daemon("p2p-handshake-" + localName));
        final ExecutorService pusher = Executors.newSingleThreadExecutor(daemon("p2p-push-" + localName));
        final P2pAcceptor acceptor;
        volatile boolean open = true;

        Session(ServerSocket server) {
            this.server = server;
            this.acceptor = new P2pAcceptor(server, handshakers, socket -> handshakeInbound(this, socket),
                    refusedInbound, "p2p-accept-" + localName);
        }

        void start() {
            acceptor.start();
            scheduler.scheduleWithFixedDelay(() -> dialDuePeers(this), 0, 200, TimeUnit.MILLISECONDS);
            scheduler.scheduleWithFixedDelay(P2pNetwork.this::keepAlive, PING_MS, PING_MS, TimeUnit.MILLISECONDS);
        }

        void close() {
            open = false;
            acceptor.close();
            scheduler.shutdownNow();
            acceptor.closeDropped(handshakers.shutdownNow());
            dialers.shutdownNow();
            pusher.shutdownNow();
        }
    }

    private static final class DialState {
        volatile boolean busy;
        volatile long nextDialNanos;
        volatile int failures;
        volatile boolean self;
        volatile String address;
        /** Where the last link to the peer was made; null until one was. */
        volatile Reach lastReached;
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
    }

    /**
     * Binds the listener, registers for applied entries and peer-list changes, and starts dialing.
     * Returns false (and logs why) if P2P could not start; returns true at once if it already runs.
     */
    public synchronized boolean start(String bindAddress, int port) {
        if (session != null) {
            return true;
        }
        ServerSocket server = null;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port));
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().addKeyValue("event", "p2p_start_failed").addKeyValue("port", port)
                    .addKeyValue("error", e.toString()).log("P2P could not start; the node continues on HTTP sync");
            closeQuietly(server);
            return false;
        }
        Session s = new Session(server);
        lastPort = server.getLocalPort();
        session = s;
        state.addListener(this);
        directory.onChange(peerListListener);
        s.start();
        LOG.atInfo().addKeyValue("event", "p2p_started").addKeyValue("p2p_port", lastPort)
                .log("P2P listener started");
        return true;
    }

    public boolean isRunning() {
        return session != null;
    }

    /** The port of the current listener, or of the last one after a stop; -1 if none was ever bound. */
    public int port() {
        return lastPort;
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

    private void handshakeInbound(Session s, Socket socket) {
        try {
            register(s, PeerConnection.handshake(socket, PeerConnection.Direction.INBOUND, null, secret,
                    localName, HANDSHAKE_TIMEOUT_MS));
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("event", "p2p_auth_refused")
                    .addKeyValue("remote", String.valueOf(socket.getRemoteSocketAddress()))
                    .addKeyValue("reason", e.getMessage()).log("Refused an inbound P2P connection");
        }
    }

    /** Inbound connections closed unhandled because the handshake workers refused them (since creation). */
    public long refusedInboundConnections() {
        return refusedInbound.get();
    }

    private void dialDuePeers(Session s) {
        if (!s.open || secret == null) {
            return;
        }
        long now = System.nanoTime();
        for (URI peer : directory.peers()) {
            DialState d = dialStates.computeIfAbsent(peer, p -> new DialState());
            if (d.self || d.busy || now - d.nextDialNanos < 0 || connectedTo(peer)) {
                continue;
            }
            d.busy = true;
            try {
                s.dialers.execute(() -> {
                    try {
                        dial(s, peer, d);
                    } finally {
                        d.busy = false;
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                d.busy = false;
                return;
            }
        }
    }

    private void dial(Session s, URI peer, DialState d) {
        try {
            Reach reach = reach(peer, d);
            if (reach == null) {
                d.self = true;
                return;
            }
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(peer.getHost(), reach.port()), 2000);
            d.address = peer.getHost() + ":" + reach.port();
            PeerConnection c = PeerConnection.handshake(socket, PeerConnection.Direction.OUTBOUND, peer, secret,
                    localName, HANDSHAKE_TIMEOUT_MS);
            if (!reach.name().isEmpty() && !reach.name().equals(c.remoteName())) {
                c.close();
                throw new IOException("P2P port " + d.address + " is node '" + c.remoteName() + "', not '"
                        + reach.name() + "'");
            }
            d.failures = 0;
            d.lastReached = reach;
            if (register(s, c)) {
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

    /** Where a peer's P2P lung is: its port, and the node name it answers with there. */
    private record Reach(int port, String name) {
    }

    /**
     * Where to dial the peer, as it reports over HTTP; null when the peer is this node. When HTTP to
     * the peer fails, where we last reached it, if we ever did: a peer whose HTTP lung is cut is still
     * reachable over its P2P lung, and the handshake proves who answers there.
     */
    private Reach reach(URI peer, DialState d) throws IOException {
        PeerHttpClient.P2pInfo info;
        try {
            info = httpClient.p2pInfo(peer);
        } catch (IOException httpFailed) {
            Reach last = d.lastReached;
            if (last == null) {
                throw httpFailed;
            }
            LOG.atDebug().addKeyValue("peer", peer.toString()).addKeyValue("p2p_port", last.port())
                    .addKeyValue("error", httpFailed.toString()).log("HTTP to peer failed; dialing where it was last reached");
            return last;
        }
        if (localName.equals(info.nodeName())) {
            return null;
        }
        if (!info.started() || info.p2pPort() <= 0) {
            throw new IOException("peer reports P2P not started");
        }
        return new Reach(info.p2pPort(), info.nodeName());
    }

    /** Adds a link made by session {@code s}; a link that outlived its session is closed instead. */
    private boolean register(Session s, PeerConnection c) {
        if (!s.open || localName.equals(c.remoteName())) {
            c.close();
            return false;
        }
        connections.add(c);
        if (!s.open || removedWhileDialing(c)) {
            // stop() or a peer-list change ran between the dial's start and the add, and may have
            // missed this link: it would live on, pinged by both sides, to a peer nobody lists.
            connections.remove(c);
            c.close();
            return false;
        }
        c.start(this, READ_TIMEOUT_MS);
        LOG.atInfo().addKeyValue("event", "p2p_peer_connected").addKeyValue("peer", c.remoteName())
                .addKeyValue("direction", c.direction().name().toLowerCase())
                .addKeyValue("remote", c.remoteAddress()).addKeyValue("peer_count", peerCount())
                .log("P2P peer connected");
        peerCountListener.accept(peerCount());
        return true;
    }

    /**
     * Whether {@code c} is a link we dialed to a peer the list no longer has. Read after the link is
     * in {@link #connections}: a list change published before this read is seen here, and one
     * published after it finds the link in {@link #onPeerListChanged}, so no removed peer keeps a link.
     */
    private boolean removedWhileDialing(PeerConnection c) {
        return c.peerUrl() != null && !directory.peers().contains(c.peerUrl());
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
        Session s = session;
        if (s == null || connections.isEmpty()) {
            return;
        }
        try {
            s.pusher.execute(() -> {
                List<Frame> frames = toFrames(entries);
                for (PeerConnection c : connections) {
                    if (c != origin && c.isOpen()) {
                        frames.forEach(c::send);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // stopped meanwhile: the links are closing and peers reconcile over HTTP
        }
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

    /**
     * Stops listening, unregisters from the state and the peer directory, drops every link (peers see
     * the disconnect at once) and ends the session's threads. A no-op while stopped.
     */
    public synchronized void stop() {
        Session s = session;
        if (s == null) {
            return;
        }
        session = null;
        state.removeListener(this);
        directory.removeListener(peerListListener);
        s.close();
        connections.forEach(PeerConnection::close);
        // A dial that shutdownNow() dropped unrun never clears its DialState.busy; the next session
        // starts from fresh dial states so such a peer is dialed again.
        dialStates.clear();
        LOG.atInfo().addKeyValue("event", "p2p_stopped").addKeyValue("p2p_port", lastPort).log("P2P stopped");
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private static void closeQuietly(ServerSocket server) {
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
