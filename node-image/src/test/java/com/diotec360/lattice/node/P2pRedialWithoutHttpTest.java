package com.diotec360.lattice.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Two nodes whose HTTP lung is cut and whose P2P link drops once (a blip) redial over P2P, which is
 * open: a node learns a peer's P2P port over HTTP, and while HTTP fails it dials the port it last
 * reached. Before, the pair stayed apart with the P2P lung open, for as long as HTTP was cut
 * (property 60: never without sync while one lung is open).
 */
class P2pRedialWithoutHttpTest {
    @TempDir
    Path dir;

    @Test
    void aDroppedLinkIsRedialedWhileHttpToThePeerIsCut() throws Exception {
        List<LungProxy> http = new ArrayList<>();
        List<LungProxy> p2p = new ArrayList<>();
        try (TestNodes lattice = new TestNodes(dir)) {
            List<LatticeNode> nodes = List.of(lattice.start("blip-0", Map.of()), lattice.start("blip-1", Map.of()));
            for (int a = 0; a < 2; a++) {
                LatticeNode to = nodes.get(1 - a);
                // a reaches its peer through its own address for it, one proxy per lung
                String ip = "127.62." + (a + 1) + "." + (2 - a);
                http.add(new LungProxy(ip, to.httpPort(), new InetSocketAddress("127.0.0.1", to.httpPort())));
                p2p.add(new LungProxy(ip, to.p2pPort(), new InetSocketAddress("127.0.0.1", to.p2pPort())));
                nodes.get(a).directory().replace(List.of(URI.create("http://" + ip + ":" + to.httpPort())), "test");
            }
            await("linked both ways").atMost(Duration.ofSeconds(20)).until(() -> nodes.stream()
                    .allMatch(n -> n.directory().peers().stream().allMatch(u -> n.p2p().connectedTo(u))));

            http.forEach(LungProxy::cut);
            p2p.forEach(LungProxy::cut);
            await("the blip drops the links").atMost(Duration.ofSeconds(10))
                    .until(() -> nodes.stream().allMatch(n -> n.p2p().peerCount() == 0));
            p2p.forEach(LungProxy::heal);

            await("redialed over P2P, HTTP still cut").atMost(Duration.ofSeconds(20))
                    .until(() -> nodes.stream().allMatch(n -> n.p2p().peerCount() == 1));
            TestNodes.write(nodes.get(0), "over-the-open-lung");
            await("the write crosses over P2P").atMost(Duration.ofSeconds(10)).until(() -> TestNodes.sameRoot(nodes));
        } finally {
            http.forEach(LungProxy::close);
            p2p.forEach(LungProxy::close);
        }
    }
}
