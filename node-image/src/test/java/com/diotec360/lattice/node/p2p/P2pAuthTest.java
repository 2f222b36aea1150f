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
