package com.diotec360.lattice.node;

import com.diotec360.lattice.node.mode.SyncMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The brief's property tests on real in-process nodes: (62) random writes during random partitions
 * converge to one root after healing; (61) HTTP takes over within peerless timeout + one heartbeat
 * after P2P fails at a random time. Few tries each: every try starts real nodes.
 */
class LatticePropertiesTest {
    private static final int NODES = 3;

    /** One write burst: which node, how many entries, during which partition phase. */
    record Burst(int node, int count, boolean duringPartition) {
    }

    @Provide
    Arbitrary<List<Burst>> bursts() {
        Arbitrary<Burst> burst = Combinators.combine(Arbitraries.integers().between(0, NODES - 1),
                Arbitraries.integers().between(1, 20), Arbitraries.of(true, false)).as(Burst::new);
        return burst.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Integer>> partitions() {
        // side of the cut for each node; all-equal means "no partition" (also a valid case)
        return Arbitraries.integers().between(0, 1).list().ofSize(NODES);
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF)
    void convergesAfterRandomPartitionsHeal(@ForAll("bursts") List<Burst> bursts,
                                            @ForAll("partitions") List<Integer> side,
                                            @ForAll boolean p2pEnabled) throws Exception {
        Path dir = Files.createTempDirectory("prop62");
        try (TestNodes lattice = new TestNodes(dir)) {
            List<LatticeNode> nodes = lattice.startMesh(NODES,
                    Map.of("DIOTEC360_P2P_ENABLED", String.valueOf(p2pEnabled)));
            Set<String> written = new HashSet<>();
            int seq = 0;
            for (Burst b : bursts) {
                if (!b.duringPartition()) {
                    seq = write(nodes, b, written, seq);
                }
            }
            partition(nodes, side);
            for (Burst b : bursts) {
                if (b.duringPartition()) {
                    seq = write(nodes, b, written, seq);
                }
            }
            partition(nodes, List.of(0, 0, 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> TestNodes.sameRoot(nodes)
                    && nodes.stream().allMatch(n -> n.state().size() == written.size()));
        } finally {
            deleteTree(dir);
        }
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF)
    void httpTakesOverWithinPeerlessTimeout(@ForAll @IntRange(min = 0, max = 1500) int failAfterMillis)
            throws Exception {
        Path dir = Files.createTempDirectory("prop61");
        try (TestNodes lattice = new TestNodes(dir)) {
            List<LatticeNode> nodes = lattice.startMesh(2, Map.of());
            LatticeNode a = nodes.get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.p2p().peerCount() == 1);
            await().pollDelay(Duration.ofMillis(failAfterMillis)).until(() -> true);

            nodes.get(1).stopP2p();
            long cut = System.nanoTime();
            // peerless timeout 2 s + heartbeat 1 s, plus 1 s slack for a loaded CI machine
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(50))
                    .until(() -> a.modes().current() == SyncMode.HTTP);
            long tookMillis = (System.nanoTime() - cut) / 1_000_000;
            assertThat(tookMillis).isBetween(1_000L, 4_000L);
        } finally {
            deleteTree(dir);
        }
    }

    private static int write(List<LatticeNode> nodes, Burst b, Set<String> written, int seq) throws Exception {
        String[] data = new String[b.count()];
        for (int i = 0; i < b.count(); i++) {
            data[i] = "entry-" + (seq++);
            written.add(data[i]);
        }
        TestNodes.write(nodes.get(b.node()), data);
        return seq;
    }

    /** Gives each node only the peers on its own side of the cut (the same mechanism as a peer-list file). */
    private static void partition(List<LatticeNode> nodes, List<Integer> side) {
        for (int i = 0; i < nodes.size(); i++) {
            int me = i;
            List<URI> peers = Stream.iterate(0, k -> k + 1).limit(nodes.size())
                    .filter(k -> k != me && side.get(k).equals(side.get(me)))
                    .map(k -> TestNodes.url(nodes.get(k))).collect(Collectors.toList());
            nodes.get(i).directory().replace(peers, "test-partition");
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}
