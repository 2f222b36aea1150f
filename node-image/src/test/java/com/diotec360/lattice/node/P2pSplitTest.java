package com.diotec360.lattice.node;

import com.diotec360.lattice.node.mode.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The counterexample {@link LungCutPropertyIT} found (seed 22442991753148, round 5), in-process and
 * deterministic: four nodes, P2P cut between {0, 1} and {2, 3} while HTTP across stays open. Every
 * node keeps a P2P peer, so none goes peerless and none switches to HTTP; the halves must still
 * converge, through the HTTP polls each node runs to the peers it has no P2P link with.
 */
class P2pSplitTest {
    @TempDir
    Path dir;

    @Test
    void halvesOfASplitP2pMeshConvergeOverHttpWhileEachStillHasPeers() throws Exception {
        int n = 4;
        List<LungProxy> proxies = new ArrayList<>();
        try (TestNodes lattice = new TestNodes(dir)) {
            List<LatticeNode> nodes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                nodes.add(lattice.start("split-" + i, Map.of()));
            }
            // p2p[a][b]: the proxy a dials b's P2P port through (on a's own address for b)
            LungProxy[][] p2p = new LungProxy[n][n];
            for (int a = 0; a < n; a++) {
                List<URI> peers = new ArrayList<>();
                for (int b = 0; b < n; b++) {
                    if (a != b) {
                        String ip = "127.61." + (a + 1) + "." + (b + 1);
                        LatticeNode to = nodes.get(b);
                        proxies.add(new LungProxy(ip, to.httpPort(), new InetSocketAddress("127.0.0.1", to.httpPort())));
                        p2p[a][b] = new LungProxy(ip, to.p2pPort(), new InetSocketAddress("127.0.0.1", to.p2pPort()));
                        proxies.add(p2p[a][b]);
                        peers.add(URI.create("http://" + ip + ":" + to.httpPort()));
                    }
                }
                nodes.get(a).directory().replace(peers, "test");
            }
            // Every link dialed both ways, and the HTTP reconciliation each new link triggers done, for a
            // second on end: a late one would otherwise carry the writes across the cut below.
            await().atMost(Duration.ofSeconds(20)).during(Duration.ofSeconds(1)).until(() -> nodes.stream()
                    .allMatch(x -> x.modes().current() == SyncMode.P2P && x.directory().peers().stream()
                            .allMatch(u -> x.p2p().connectedTo(u) && x.poller().peerView(u).lastSuccess() != null)));

            for (int a : new int[] {0, 1}) {
                for (int b : new int[] {2, 3}) {
                    p2p[a][b].cut();
                    p2p[b][a].cut();
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(x -> x.p2p().peerCount() == 1));
            TestNodes.write(nodes.get(0), "left-side");
            TestNodes.write(nodes.get(3), "right-side");

            await().atMost(Duration.ofSeconds(15)).until(() -> TestNodes.sameRoot(nodes)
                    && nodes.stream().allMatch(x -> x.state().size() == 2));
            // the split, not a failover, was what the nodes lived through
            assertThat(nodes).allMatch(x -> x.modes().current() == SyncMode.P2P && x.p2p().peerCount() == 1);
        } finally {
            proxies.forEach(LungProxy::close);
        }
    }
}
