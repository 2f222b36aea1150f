package com.diotec360.lattice.node.sync;

import com.diotec360.lattice.node.LatticeNode;
import com.diotec360.lattice.node.TestNodes;
import com.diotec360.lattice.node.state.Entry;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes one reconciliation moves never exceed a full copy of the peer's state (paging through
 * GET /api/lattice/entries) by more than a small constant factor, whatever the difference; and a small
 * difference still costs a small fraction of a full copy. Byte counts, not timings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AntiEntropyCostTest {
    private static final int N = 2_000;
    /** Allowed: twice a full copy plus a few requests' worth of fixed overhead. */
    private static final double FACTOR = 2.0;
    private static final long SLACK = 16 * 1024;

    private Path dir;
    private TestNodes lattice;
    private LatticeNode a;
    private List<Entry> all;
    private long fullCopy;

    @BeforeAll
    void startSource() throws Exception {
        dir = Files.createTempDirectory("ae-cost");
        lattice = new TestNodes(dir);
        a = lattice.start("cost-a", quiet());
        all = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            all.add(Entry.ofText("cost-entry-" + i + "-payload-0123456789"));
        }
        a.state().add(all, "test").get(30, TimeUnit.SECONDS);
        PeerHttpClient client = new PeerHttpClient(Duration.ofSeconds(30));
        String after = null;
        do {
            JsonNode page = client.page(TestNodes.url(a), after, 10_000);
            after = page.path("next_after").isNull() ? null : page.path("next_after").asText();
        } while (after != null);
        fullCopy = client.bytesTransferred();
    }

    @AfterAll
    void stop() {
        lattice.close();
    }

    private static Map<String, String> quiet() {
        return Map.of("DIOTEC360_P2P_ENABLED", "false", "DIOTEC360_HTTP_POLL_INTERVAL", "3600",
                "DIOTEC360_PEERLESS_TIMEOUT", "3600");
    }

    /**
     * B holds {@code shared} of A's entries (a random subset) plus {@code own} entries A lacks, then
     * reconciles with A pulling only (no secret, so nothing is pushed and the bytes are the pull's).
     */
    @ParameterizedTest(name = "B holds {0} of A''s {1} entries and {2} of its own -> {3}")
    @CsvSource({"0, 2000, 0, FULL_TRANSFER", "1000, 2000, 0, FULL_TRANSFER", "1999, 2000, 0, WALK",
            "1990, 2000, 0, WALK", "1900, 2000, 0, FULL_TRANSFER", "1000, 2000, 1000, FULL_TRANSFER",
            "0, 2000, 2000, FULL_TRANSFER", "1995, 2000, 5, WALK"})
    void bytesStayWithinASmallFactorOfAFullCopy(int shared, int n, int own, AntiEntropy.Method expected)
            throws Exception {
        List<Entry> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(shared * 31L + own));
        List<Entry> mine = new ArrayList<>(shuffled.subList(0, shared));
        for (int i = 0; i < own; i++) {
            mine.add(Entry.ofText("own-entry-" + shared + "-" + i));
        }
        LatticeNode b = lattice.start("cost-b-" + shared + "-" + own, quiet());
        try {
            if (!mine.isEmpty()) {
                b.state().add(mine, "test").get(30, TimeUnit.SECONDS);
            }
            PeerHttpClient client = new PeerHttpClient(Duration.ofSeconds(30));
            AntiEntropy.Result r = new AntiEntropy(b.state(), client, Optional.empty()).reconcile(TestNodes.url(a));
            long bytes = client.bytesTransferred();
            System.out.printf("shared=%d own=%d: %,d bytes (full copy %,d, %.2fx), %d round trips%n", shared, own,
                    bytes, fullCopy, (double) bytes / fullCopy, r.roundTrips());
            assertThat(r.pulled()).isEqualTo(n - shared);
            assertThat(r.method()).isEqualTo(expected);
            assertThat(r.bytes()).as("the result counts this reconciliation's bytes").isEqualTo(bytes);
            for (Entry e : all) {
                assertThat(b.state().contains(e.id())).isTrue();
            }
            assertThat(bytes).as("bytes moved vs a full copy of %,d bytes", fullCopy)
                    .isLessThanOrEqualTo((long) (FACTOR * fullCopy) + SLACK);
            if (shared == 0 && own == 0) {
                assertThat(r.roundTrips()).as("an empty node copies at once: state + one page, no walk").isEqualTo(2);
            }
            if (n - shared <= 1 && own == 0) {
                assertThat(bytes).as("one missing entry costs a walk, not a full copy").isLessThan(fullCopy / 20);
            }
        } finally {
            b.close();
        }
    }

    /**
     * Both pulls give the same union on both sides and push exactly what the peer lacks: A holds 1,500
     * entries, B 700 of them plus 900 of its own; pages of 97 entries, so the full transfer's page
     * ranges (which of B's ids lie between two page ends) are crossed many times.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"FULL_ONLY", "WALK_ONLY", "AUTO"})
    void everyStrategyConvergesOnTheUnionAndPushesWhatThePeerLacks(AntiEntropy.Strategy strategy) throws Exception {
        LatticeNode src = lattice.start("union-a-" + strategy, quiet());
        LatticeNode dst = lattice.start("union-b-" + strategy, quiet());
        try {
            List<Entry> theirs = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                theirs.add(Entry.ofText("union-" + strategy + "-" + i));
            }
            List<Entry> mine = new ArrayList<>(theirs.subList(0, 700));
            for (int i = 0; i < 900; i++) {
                mine.add(Entry.ofText("only-b-" + strategy + "-" + i));
            }
            src.state().add(theirs, "test").get(30, TimeUnit.SECONDS);
            dst.state().add(mine, "test").get(30, TimeUnit.SECONDS);
            AntiEntropy ae = new AntiEntropy(dst.state(), new PeerHttpClient(Duration.ofSeconds(30)),
                    Optional.of(TestNodes.SECRET), strategy).withPageLimit(97);
            AntiEntropy.Result r = ae.reconcile(url(src));
            assertThat(r.pulled()).isEqualTo(800);
            assertThat(r.pushed()).isEqualTo(900);
            assertThat(dst.state().size()).isEqualTo(2_400);
            assertThat(src.state().size()).isEqualTo(2_400);
            assertThat(src.state().merkleRoot()).isEqualTo(dst.state().merkleRoot());
            if (strategy == AntiEntropy.Strategy.FULL_ONLY) {
                assertThat(r.roundTrips()).as("state + 16 pages (1,500 / 97) + pushes").isGreaterThanOrEqualTo(17);
            }
            AntiEntropy.Result again = ae.reconcile(url(src));
            assertThat(again.alreadyEqual()).isTrue();
        } finally {
            src.close();
            dst.close();
        }
    }

    static URI url(LatticeNode node) {
        return TestNodes.url(node);
    }
}
