package com.diotec360.lattice.node.p2p;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An accepted connection nobody will handle is closed, not leaked; refusals are counted and logged once. */
class P2pAcceptorTest {
    /** Bounds how long a client waits for the server side to close; a leaked socket never does. */
    private static final int CLIENT_READ_TIMEOUT_MS = 10_000;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(P2pAcceptor.class);
    private ServerSocket server;

    @BeforeEach
    void setUp() throws IOException {
        logs.start();
        logger.addAppender(logs);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() throws IOException {
        logger.detachAppender(logs);
        server.close();
    }

    @Test
    void connectionsTheExecutorRefusesAreClosedCountedAndLoggedOnce() throws Exception {
        AtomicLong refused = new AtomicLong();
        P2pAcceptor acceptor = new P2pAcceptor(server, task -> {
            throw new RejectedExecutionException("saturated");
        }, socket -> { }, refused, "test-accept");
        acceptor.start();
        try {
            for (int i = 0; i < 3; i++) {
                try (Socket client = connect()) {
                    assertThat(client.getInputStream().read()).as("server side closed the refused connection")
                            .isEqualTo(-1);
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> refused.get() == 3);
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1)
                    .first().satisfies(e -> assertThat(e.getFormattedMessage()).contains("inbound P2P connection"));
        } finally {
            acceptor.close();
        }
    }

    @Test
    void connectionsQueuedButDroppedAtShutdownAreClosed() throws Exception {
        AtomicLong refused = new AtomicLong();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        CountDownLatch release = new CountDownLatch(1);
        workers.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        P2pAcceptor acceptor = new P2pAcceptor(server, workers, socket -> { }, refused, "test-accept");
        acceptor.start();
        try (Socket client = connect()) {
            // The only worker is busy, so the accepted connection waits in the queue.
            await().atMost(Duration.ofSeconds(5)).until(() -> workers.getQueue().size() == 1);
            acceptor.close();
            acceptor.closeDropped(workers.shutdownNow());
            assertThat(client.getInputStream().read()).as("server side closed the dropped connection").isEqualTo(-1);
            assertThat(refused.get()).isEqualTo(1);
        } finally {
            release.countDown();
            acceptor.close();
        }
    }

    private Socket connect() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        client.setSoTimeout(CLIENT_READ_TIMEOUT_MS);
        return client;
    }
}
