package com.diotec360.lattice.node.p2p;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Accepts inbound P2P connections on one listening socket, on its own thread, and hands each to an
 * executor that runs the handshake. A connection the executor refuses (shut down because P2P is
 * stopping, or saturated) is closed at once and counted, and so is one the executor accepted but
 * dropped unrun at shutdown ({@link #closeDropped}); the first refusal is logged at WARN, later ones
 * only at DEBUG, so a refusing node neither leaks sockets nor floods its log.
 */
final class P2pAcceptor {
    private static final Logger LOG = LoggerFactory.getLogger(P2pAcceptor.class);
    /** accept() returns at once when its socket closes; the bound only guards against a stuck thread. */
    private static final long JOIN_MS = 2000;

    private final ServerSocket server;
    private final Executor executor;
    private final Consumer<Socket> handler;
    private final AtomicLong refused;
    private final Thread thread;
    private volatile boolean open = true;
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * @param handler runs on {@code executor} with each accepted socket and owns it from then on
     * @param refused counts connections the executor refused (shared so it can outlive this acceptor)
     */
    P2pAcceptor(ServerSocket server, Executor executor, Consumer<Socket> handler, AtomicLong refused,
                String threadName) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.refused = refused;
        this.thread = new Thread(this::acceptLoop, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Closes the listening socket and waits for the accept thread to end. */
    void close() {
        open = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            thread.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (open && !server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (open) {
                    LOG.debug("P2P accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                executor.execute(new Handoff(socket));
            } catch (RejectedExecutionException e) {
                refuse(socket, e.toString());
            }
        }
    }

    /**
     * Closes the sockets of hand-overs an executor dropped without running them ({@code shutdownNow()}
     * returns them); other tasks in the list are ignored.
     */
    void closeDropped(List<Runnable> dropped) {
        for (Runnable r : dropped) {
            if (r instanceof Handoff h) {
                refuse(h.socket, "dropped unrun when P2P stopped");
            }
        }
    }

    /** One accepted socket on its way to the handler; a distinct type so dropped ones can be found. */
    private final class Handoff implements Runnable {
        final Socket socket;

        Handoff(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            handler.accept(socket);
        }
    }

    private void refuse(Socket socket, String reason) {
        String remote = String.valueOf(socket.getRemoteSocketAddress());
        try {
            socket.close();
        } catch (IOException ignored) {
            // the peer sees the connection end either way
        }
        long total = refused.incrementAndGet();
        if (warned.compareAndSet(false, true)) {
            LOG.atWarn().addKeyValue("event", "p2p_inbound_refused").addKeyValue("remote", remote)
                    .addKeyValue("refused_total", total).addKeyValue("reason", reason)
                    .log("Closed an inbound P2P connection the handshake workers could not take (stopping or"
                            + " saturated); further ones are only counted");
        } else {
            LOG.debug("Closed inbound P2P connection from {} (refused total {})", remote, total);
        }
    }
}
