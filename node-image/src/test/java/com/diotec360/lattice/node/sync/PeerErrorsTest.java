package com.diotec360.lattice.node.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A failed peer request reads as words, not as the JDK client's bare exception class: this is
 * what {@code http_last_error} and the operator's partition causes show. Real sockets on
 * loopback only.
 */
class PeerErrorsTest {

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        IOException e = catchThrowableOfType(
                () -> new PeerHttpClient(Duration.ofSeconds(2)).state(URI.create("http://127.0.0.1:" + closed)),
                IOException.class);
        assertThat(e).hasMessage("connection refused");
        assertThat(PeerHttpClient.describe(e)).isEqualTo("connection refused");
    }

    @Test
    void aPeerThatAcceptsButNeverAnswersTimesOut() throws Exception {
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    answered.await(5, java.util.concurrent.TimeUnit.SECONDS); // hold the connection, say nothing
                } catch (IOException | InterruptedException done) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            IOException e = catchThrowableOfType(
                    () -> new PeerHttpClient(Duration.ofMillis(300)).state(URI.create("http://127.0.0.1:" + silent.getLocalPort())),
                    IOException.class);
            assertThat(e.getMessage()).startsWith("no answer in time (");
            answered.countDown();
        }
    }
}
