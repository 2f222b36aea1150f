package com.diotec360.lattice.node.p2p;

import com.diotec360.lattice.node.LatticeNode;
import com.diotec360.lattice.node.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping P2P closes everything starting it opened; starting it twice opens nothing twice. */
class P2pRestartTest {
    private static final int CYCLES = 5;
    /** One acceptor, one timer, one pusher and at most four dial/handshake workers. */
    private static final int MAX_P2P_THREADS = 7;

    @TempDir
    Path dir;

    @Test
    void stopStartCyclesLeaveOneListenerAndNoExtraThreads() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode cycler = lattice.start("cycler", Map.of());
            LatticeNode steady = lattice.start("steady", Map.of());
            cycler.directory().replace(List.of(TestNodes.url(steady)), "test");
            steady.directory().replace(List.of(TestNodes.url(cycler)), "test");
            await().atMost(Duration.ofSeconds(10)).until(() -> cycler.p2p().peerCount() == 1);
            int stateListeners = cycler.state().listenerCount();
            int directoryListeners = cycler.directory().listenerCount();

            for (int i = 0; i < CYCLES; i++) {
                cycler.stopP2p();
                assertThat(cycler.p2p().isRunning()).isFalse();
                assertThat(threads("p2p-accept-cycler")).as("acceptors after stop").isZero();
                assertThat(cycler.startP2p()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> cycler.p2p().peerCount() == 1);
            }

            assertThat(cycler.state().listenerCount()).as("state listeners").isEqualTo(stateListeners);
            assertThat(cycler.directory().listenerCount()).as("peer list listeners").isEqualTo(directoryListeners);

            // Starting what already runs is a no-op, through the node and on the network itself.
            int port = cycler.p2pPort();
            assertThat(cycler.startP2p()).isTrue();
            assertThat(cycler.p2p().start(cycler.config().bindAddress(), port)).isTrue();
            assertThat(cycler.p2pPort()).isEqualTo(port);
            assertThat(cycler.state().listenerCount()).as("state listeners").isEqualTo(stateListeners);
            assertThat(cycler.directory().listenerCount()).as("peer list listeners").isEqualTo(directoryListeners);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(threads("p2p-accept-cycler")).isEqualTo(1);
                assertThat(threads("p2p-timer-cycler")).isEqualTo(1);
                assertThat(threadsEndingWith("-cycler")).isLessThanOrEqualTo(MAX_P2P_THREADS);
            });
            // The one listener still works: the steady node stays (or gets) linked.
            await().atMost(Duration.ofSeconds(10)).until(() -> steady.p2p().peerCount() == 1);

            cycler.stopP2p();
            assertThat(threads("p2p-accept-cycler")).as("acceptors after stop").isZero();
            assertThat(cycler.state().listenerCount()).isEqualTo(stateListeners - 1);
            assertThat(cycler.directory().listenerCount()).isEqualTo(directoryListeners - 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> threadsEndingWith("-cycler") == 0);
        }
    }

    @Test
    void restartWithAKernelPickedPortMovesOnWhenTheOldPortWasTaken() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode node = lattice.start("mover", Map.of());
            int port = node.p2pPort();
            node.stopP2p();
            try (ServerSocket squatter = new ServerSocket()) {
                squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(node.startP2p()).isTrue();
                assertThat(node.p2pPort()).isPositive().isNotEqualTo(port);
            }
        }
    }

    private static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().equals(name)).count();
    }

    /** The node's own P2P threads (accept, timer, dial, push); link readers are named after the remote. */
    private static long threadsEndingWith(String suffix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("p2p-") && !t.getName().startsWith("p2p-read-"))
                .filter(t -> t.getName().endsWith(suffix)).count();
    }
}
