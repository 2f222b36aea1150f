package com.diotec360.lattice.node;

import com.diotec360.lattice.node.mode.SyncMode;
import com.diotec360.lattice.node.state.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three real nodes on loopback: a write on one reaches all, over P2P and over HTTP polling only. */
class ThreeNodeSyncTest {
    @TempDir
    Path dir;

    @Test
    void writeOnOneReachesAllOverP2p() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            // Long poll interval and peerless timeout: only P2P can deliver within the wait.
            List<LatticeNode> nodes = lattice.startMesh(3, Map.of("DIOTEC360_HTTP_POLL_INTERVAL", "60",
                    "DIOTEC360_PEERLESS_TIMEOUT", "60"));
            await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.p2p().peerCount() == 2));

            var response = TestNodes.post(nodes.get(0), "/api/lattice/entries",
                    "{\"entries\":[{\"data\":\"alpha\"},{\"data\":\"beta\"}]}", TestNodes.SECRET);
            assertThat(response.statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.state().size() == 2)
                    && TestNodes.sameRoot(nodes));
            assertThat(nodes).allMatch(n -> n.modes().current() == SyncMode.P2P);
            assertThat(nodes.get(2).state().contains(Entry.ofText("beta").id())).isTrue();
        }
    }

    @Test
    void writeOnOneReachesAllOverHttpWhenP2pIsDisabled() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            List<LatticeNode> nodes = lattice.startMesh(3, Map.of("DIOTEC360_P2P_ENABLED", "false"));
            assertThat(nodes).allMatch(n -> n.modes().current() == SyncMode.HTTP);
            TestNodes.write(nodes.get(1), "one", "two", "three");
            TestNodes.write(nodes.get(2), "four");

            await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.state().size() == 4)
                    && TestNodes.sameRoot(nodes));
            var status = TestNodes.get(nodes.get(0), "/api/lattice/p2p/status").body();
            assertThat(status).contains("\"sync_mode\":\"HTTP\"", "\"started\":false", "\"http_sync_enabled\":true");
        }
    }
}
