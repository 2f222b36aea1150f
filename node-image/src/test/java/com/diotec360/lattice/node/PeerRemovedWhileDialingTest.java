package com.diotec360.lattice.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer taken off the list while a dial to it is under way gets no link: the dial that completes
 * afterwards closes what it made. Before, that link lived on (both sides ping it), so a node cut off
 * by its peer list kept a P2P peer and never fell back to HTTP; the operator's P2P-cut test waited
 * 30 s for it in vain, twice.
 */
class PeerRemovedWhileDialingTest {
    @TempDir
    Path dir;

    @Test
    void aDialThatEndsAfterItsPeerWasRemovedLeavesNoLink() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode other = lattice.start("other", Map.of());
            LatticeNode dialer = lattice.start("dialer", Map.of());
            try (HoldingHttpProxy toOther = new HoldingHttpProxy(TestNodes.url(other), "/api/lattice/p2p/status")) {
                dialer.directory().replace(List.of(toOther.url()), "test");
                await("the dialer asks the other for its P2P port").atMost(Duration.ofSeconds(10))
                        .until(toOther::isHolding);

                dialer.directory().replace(List.of(), "test");
                toOther.release();

                await("no link between nodes that do not list each other").during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> dialer.p2p().peerCount() == 0 && other.p2p().peerCount() == 0);
                assertThat(dialer.p2p().connectedPeerNames()).isEmpty();
            }
        }
    }
}
