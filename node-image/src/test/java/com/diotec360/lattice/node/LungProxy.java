package com.diotec360.lattice.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder for one lung of one direction of one pair of nodes: it listens on
 * {@code listenAddress:port} (a loopback address of its own, e.g. 127.60.1.2, so that it can use the
 * very port number its target uses on 127.0.0.1) and forwards every connection to {@code target}.
 *
 * <p>{@link #cut()} resets every open connection (RST) and from then on resets each new one right
 * after accepting it; {@link #heal()} forwards again. The listener stays bound all along, so a heal
 * never races another process for the port.
 */
final class LungProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    LungProxy(String listenAddress, int port, InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(listenAddress), port), 64);
        Thread accept = new Thread(this::acceptLoop, "lung-proxy-" + listenAddress + ":" + port);
        accept.setDaemon(true);
        accept.start();
    }

    synchronized void cut() {
        cut = true;
        open.forEach(LungProxy::reset);
        open.clear();
    }

    synchronized void heal() {
        cut = false;
    }

    boolean isCut() {
        return cut;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            Socket upstream = new Socket();
            try {
                if (cut) {
                    reset(client);
                    continue;
                }
                upstream.connect(target, 2000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                reset(client);
                reset(upstream);
                continue;
            }
            synchronized (this) {
                if (cut) {
                    // cut() ran while we were connecting upstream
                    reset(client);
                    reset(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
            }
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // reset by cut(), or the far end went away
            } finally {
                open.remove(from);
                open.remove(to);
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "lung-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Closes with SO_LINGER 0, so the other end sees a reset at once, not an orderly end of stream. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        cut();
    }
}
