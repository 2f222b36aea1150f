package com.diotec360.lattice.node.p2p;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** One authenticated TCP link to a peer: a reader thread, synchronized frame writes, keepalive tracking. */
public final class PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    /** Callbacks into the owning network. */
    public interface Handler {
        void onEntries(PeerConnection from, List<byte[]> items);

        void onClosed(PeerConnection connection, String reason);
    }

    public enum Direction { INBOUND, OUTBOUND }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final String remoteName;
    private final Direction direction;
    private final URI peerUrl;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastReceivedNanos = System.nanoTime();

    private PeerConnection(Socket socket, DataInputStream in, DataOutputStream out, String remoteName,
                           Direction direction, URI peerUrl) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.remoteName = remoteName;
        this.direction = direction;
        this.peerUrl = peerUrl;
    }

    /** Closes sockets whose handshake is past its deadline. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "p2p-handshake-deadline");
        t.setDaemon(true);
        return t;
    });

    /**
     * Runs the handshake on a fresh socket; closes the socket and throws if it fails. The whole handshake
     * must finish within {@code timeoutMillis}: the socket timeout alone bounds each read, so a peer
     * trickling one byte at a time could otherwise hold a handshake worker for ever.
     */
    public static PeerConnection handshake(Socket socket, Direction direction, URI peerUrl, byte[] secret,
                                           String localName, int timeoutMillis) throws IOException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            try {
                socket.close();
            } catch (IOException ignored) {
                // the handshake's read fails either way
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            String remote = direction == Direction.INBOUND
                    ? Handshake.asListener(in, out, secret, localName)
                    : Handshake.asDialer(in, out, secret, localName);
            deadline.cancel(false);
            if (expired.get()) {
                throw new IOException("handshake took longer than " + timeoutMillis + " ms");
            }
            return new PeerConnection(socket, in, out, remote, direction, peerUrl);
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            socket.close();
            if (expired.get()) {
                throw new IOException("handshake took longer than " + timeoutMillis + " ms", e);
            }
            throw e;
        }
    }

    /** Starts the reader thread; {@code readTimeoutMillis} without any frame closes the link. */
    public void start(Handler handler, int readTimeoutMillis) {
        Thread reader = new Thread(() -> readLoop(handler, readTimeoutMillis), "p2p-read-" + remoteName);
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop(Handler handler, int readTimeoutMillis) {
        String reason = "closed";
        try {
            socket.setSoTimeout(readTimeoutMillis);
            while (!closed.get()) {
                Frame frame = Frame.read(in);
                lastReceivedNanos = System.nanoTime();
                switch (frame.type()) {
                    case Frame.PING -> send(new Frame(Frame.PONG, new byte[0]));
                    case Frame.PONG -> { }
                    case Frame.ENTRIES -> handler.onEntries(this, Frame.decodeEntries(frame.payload()));
                    default -> throw new IOException("unexpected frame type " + frame.type());
                }
            }
        } catch (IOException | RuntimeException e) {
            reason = closed.get() ? "closed locally" : e.toString();
        } finally {
            close();
            handler.onClosed(this, reason);
        }
    }

    /** Sends a frame; a failure closes the link (the reader then reports it). */
    public void send(Frame frame) {
        if (closed.get()) {
            return;
        }
        try {
            synchronized (out) {
                frame.write(out);
            }
        } catch (IOException e) {
            LOG.debug("Send to {} failed: {}", remoteName, e.toString());
            close();
        }
    }

    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    public boolean isOpen() {
        return !closed.get();
    }

    public long millisSinceLastFrame() {
        return (System.nanoTime() - lastReceivedNanos) / 1_000_000;
    }

    public String remoteName() {
        return remoteName;
    }

    public Direction direction() {
        return direction;
    }

    /** The peer's HTTP base URL for links we dialed; null for inbound links. */
    public URI peerUrl() {
        return peerUrl;
    }

    public String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }
}
