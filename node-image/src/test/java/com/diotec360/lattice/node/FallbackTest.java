package com.diotec360.lattice.node;

import com.diotec360.lattice.node.mode.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Heartbeat fallback: P2P cut → HTTP within peerless timeout + one heartbeat; P2P back → P2P; reconciled. */
class FallbackTest {
    @TempDir
    Path dir;

    @Test
    void fallsBackToHttpAndRecoversToP2p() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            // heartbeat 1 s, peerless timeout 2 s, poll 1 s
            List<LatticeNode> nodes = lattice.startMesh(2, Map.of());
            LatticeNode a = nodes.get(0);
            LatticeNode b = nodes.get(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.p2p().peerCount() == 1 && b.p2p().peerCount() == 1);

            b.stopP2p();
            long cutAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(2 + 1 + 2)).until(() -> TestNodes.inMode(a, SyncMode.HTTP));
            long tookMs = (System.nanoTime() - cutAt) / 1_000_000;
            assertThat(tookMs).isLessThanOrEqualTo(2_000 + 1_000 + 1_500);
            assertThat(TestNodes.inMode(b, SyncMode.HTTP)).isTrue();
            assertThat(TestNodes.get(a, "/api/lattice/p2p/status").body())
                    .contains("\"sync_mode\":\"HTTP\"", "\"http_sync_enabled\":true", "\"has_peers\":false");

            TestNodes.write(a, "written-during-partition-on-a");
            TestNodes.write(b, "written-during-partition-on-b");
            await().atMost(Duration.ofSeconds(10)).until(() -> TestNodes.sameRoot(nodes) && a.state().size() == 2);

            assertThat(b.startP2p()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> TestNodes.inMode(a, SyncMode.P2P)
                    && TestNodes.inMode(b, SyncMode.P2P));
            TestNodes.write(b, "after-recovery");
            await().atMost(Duration.ofSeconds(10)).until(() -> TestNodes.sameRoot(nodes) && a.state().size() == 3);
        }
    }

    @Test
    void forcedModesOverrideTheMonitorAndAutoReturnsToIt() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            List<LatticeNode> nodes = lattice.startMesh(2, Map.of());
            LatticeNode a = nodes.get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.p2p().peerCount() == 1);

            var forced = TestNodes.post(a, "/api/lattice/sync/switch?mode=http", "", TestNodes.SECRET);
            assertThat(forced.statusCode()).isEqualTo(200);
            assertThat(forced.body()).contains("\"mode\":\"http\"", "\"sync_mode\":\"HTTP\"");
            TestNodes.post(a, "/api/lattice/sync/switch?mode=auto", "", TestNodes.SECRET);
            await().atMost(Duration.ofSeconds(5)).until(() -> TestNodes.inMode(a, SyncMode.P2P));

            nodes.get(1).stopP2p();
            TestNodes.post(a, "/api/lattice/sync/switch?mode=p2p", "", TestNodes.SECRET);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> TestNodes.inMode(a, SyncMode.P2P));
        }
    }

    @Test
    void p2pFailingToStartDegradesToHttp() throws Exception {
        try (TestNodes lattice = new TestNodes(dir);
             java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                     java.net.InetAddress.getLoopbackAddress())) {
            LatticeNode node = lattice.start("blocked",
                    Map.of("DIOTEC360_P2P_PORT", String.valueOf(taken.getLocalPort())));
            assertThat(node.modes().current()).isEqualTo(SyncMode.HTTP);
            assertThat(TestNodes.get(node, "/api/lattice/p2p/status").body())
                    .contains("\"started\":false", "\"sync_mode\":\"HTTP\"");
            assertThat(TestNodes.get(node, "/health").statusCode()).isEqualTo(200);
        }
    }
}
