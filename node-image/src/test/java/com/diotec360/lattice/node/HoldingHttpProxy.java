package com.diotec360.lattice.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * An HTTP forwarder on loopback that holds every request for one path until {@link #release()}, so
 * a test can change things while a node waits for that answer (the other requests pass at once).
 * It reads only the request line to decide; everything else is forwarded byte for byte.
 */
final class HoldingHttpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final String heldPath;
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    HoldingHttpProxy(URI target, String heldPath) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.heldPath = heldPath;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "holding-proxy").start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Whether a request for the held path is waiting now (or was, before a release). */
    boolean isHolding() {
        return holding.getCount() == 0;
    }

    void release() {
        released.countDown();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                daemon(() -> serve(client), "holding-proxy-conn").start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket upstream = new Socket()) {
            InputStream in = client.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            if (line.toString(StandardCharsets.US_ASCII).contains(" " + heldPath + " ")) {
                holding.countDown();
                released.await();
            }
            upstream.connect(target, 2000);
            upstream.getOutputStream().write(line.toByteArray());
            Thread back = daemon(() -> pump(upstream, client), "holding-proxy-back");
            back.start();
            pump(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the node or the upstream went away: the connection ends
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws IOException {
        release();
        server.close();
    }
}
