package com.diotec360.lattice.node;

import com.diotec360.lattice.node.api.Json;
import com.diotec360.lattice.node.state.Entry;
import com.diotec360.lattice.node.state.EntryId;
import com.diotec360.lattice.node.state.MerkleIndex;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/lattice/state} and {@code GET /health} answer a Merkle root and an entry count
 * (version) that the state really had together, even while writers keep adding entries.
 */
class StateSummaryConsistencyTest {
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int ENTRIES_PER_BATCH = 100;
    /** Writers keep going until the readers have this many answers (or the cap below is reached). */
    private static final int ANSWERS_WANTED = 200;
    private static final int MAX_BATCHES_PER_WRITER = 500;

    @TempDir
    Path dir;

    private record Seen(long version, String root, String path) {
    }

    @Test
    void everyAnsweredRootBelongsToTheAnsweredVersion() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode node = lattice.start("summary", Map.of("DIOTEC360_P2P_ENABLED", "false"));
            // The state applies entries on one thread, in one order: the k-th state is the first k ids.
            List<EntryId> applyOrder = java.util.Collections.synchronizedList(new ArrayList<>());
            node.state().addListener((entries, origin) -> entries.forEach(e -> applyOrder.add(e.id())));

            ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
            try {
                List<Future<?>> readers = new ArrayList<>();
                for (int r = 0; r < READERS; r++) {
                    String path = r % 2 == 0 ? "/api/lattice/state" : "/health";
                    String versionField = r % 2 == 0 ? "version" : "entries";
                    readers.add(pool.submit(() -> {
                        while (writing.get()) {
                            HttpResponse<String> response = TestNodes.get(node, path);
                            JsonNode body = Json.MAPPER.readTree(response.body());
                            seen.add(new Seen(body.get(versionField).asLong(), body.get("merkle_root").asText(), path));
                        }
                        return null;
                    }));
                }
                // Readers are warmed up (first HTTP call done) before the writers begin.
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= READERS);
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        for (int b = 0; b < MAX_BATCHES_PER_WRITER && seen.size() < ANSWERS_WANTED; b++) {
                            List<Entry> batch = new ArrayList<>(ENTRIES_PER_BATCH);
                            for (int i = 0; i < ENTRIES_PER_BATCH; i++) {
                                batch.add(Entry.ofText("w" + writer + "-b" + b + "-e" + i));
                            }
                            node.state().add(batch, "test").get(30, TimeUnit.SECONDS);
                        }
                        return null;
                    }));
                }
                for (Future<?> w : writers) {
                    w.get(120, TimeUnit.SECONDS);
                }
                writing.set(false);
                for (Future<?> r : readers) {
                    r.get(30, TimeUnit.SECONDS);
                }
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }

            assertThat(applyOrder).hasSize(node.state().size());
            assertThat(seen).isNotEmpty();
            List<Seen> byVersion = new ArrayList<>(seen);
            byVersion.sort(Comparator.comparingLong(Seen::version));
            MerkleIndex replay = new MerkleIndex();
            int replayed = 0;
            List<Seen> torn = new ArrayList<>();
            for (Seen s : byVersion) {
                while (replayed < s.version()) {
                    replay.add(applyOrder.get(replayed++));
                }
                if (!replay.rootHex().equals(s.root())) {
                    torn.add(s);
                }
            }
            assertThat(torn).as("answers whose root the state never had at that version (of %d answers)",
                    byVersion.size()).isEmpty();
        }
    }
}
