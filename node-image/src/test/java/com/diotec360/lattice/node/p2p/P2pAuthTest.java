package com.diotec360.lattice.node.p2p;

import com.diotec360.lattice.node.LatticeNode;
import com.diotec360.lattice.node.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A stranger without the lattice secret can neither connect nor inject entries. */
class P2pAuthTest {
    @TempDir
    Path dir;

    @Test
    void wrongSecretIsRefusedAndCannotInject() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode node = lattice.start("guarded", Map.of());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.p2pPort())) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                assertThatThrownBy(() -> Handshake.asDialer(in, out, "wrong".getBytes(StandardCharsets.UTF_8),
                        "stranger")).isInstanceOf(Handshake.Refused.class);
                // Whatever it sends now is never applied.
                try {
                    new Frame(Frame.ENTRIES, Frame.encodeEntries(List.of("evil".getBytes(StandardCharsets.UTF_8))))
                            .write(out);
                } catch (java.io.IOException closedAlready) {
                    // expected: the node hung up
                }
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.p2pPort())) {
                // Skip the handshake entirely and send entries straight away.
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                new Frame(Frame.ENTRIES, Frame.encodeEntries(List.of("evil2".getBytes(StandardCharsets.UTF_8))))
                        .write(out);
            } catch (java.io.IOException closedAlready) {
                // expected
            }
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> node.state().size() == 0 && node.p2p().peerCount() == 0);
        }
    }

    /** Found by NodeFuzzIT: each read had a timeout but the handshake did not, so a trickle held a worker for ever. */
    @Test
    void aTrickledHandshakeIsDroppedWithinTheTimeout() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode node = lattice.start("guarded", Map.of());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.p2pPort())) {
                s.setSoTimeout(300);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                assertThat(Frame.read(in).type()).isEqualTo(Frame.HELLO);
                out.writeInt(200);
                out.writeByte(Frame.AUTH);
                long t0 = System.nanoTime();
                boolean closed = false;
                while (!closed && System.nanoTime() - t0 < 10_000_000_000L) {
                    try {
                        out.write(7);
                        out.flush();
                        closed = in.read() < 0;
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // keep trickling
                    } catch (java.io.IOException reset) {
                        closed = true;
                    }
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(closed).as("closed by the node").isTrue();
                assertThat(ms).as("closed within the 3 s handshake timeout (plus slack)").isLessThan(6_000);
            }
        }
    }

    /** Found by NodeFuzzIT: a stranger could make the node allocate a 16 MiB buffer before any authentication. */
    @Test
    void anOversizedHandshakeFrameIsRefusedAtOnce() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode node = lattice.start("guarded", Map.of());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.p2pPort())) {
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                assertThat(Frame.read(in).type()).isEqualTo(Frame.HELLO);
                long t0 = System.nanoTime();
                out.writeInt(Frame.MAX_LENGTH);
                out.writeByte(Frame.AUTH);
                out.flush();
                try {
                    assertThat(in.read()).isEqualTo(-1);
                } catch (java.io.IOException reset) {
                    // closed as well
                }
                assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the node hung up").isLessThan(1_500);
            }
        }
    }

    @Test
    void nodesWithDifferentSecretsNeverPair() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode a = lattice.start("a", Map.of());
            LatticeNode b = lattice.start("b", Map.of("DIOTEC360_LATTICE_SECRET", "other-secret"));
            a.directory().replace(List.of(TestNodes.url(b)), "test");
            b.directory().replace(List.of(TestNodes.url(a)), "test");
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> a.p2p().peerCount() == 0 && b.p2p().peerCount() == 0);
        }
    }
}
