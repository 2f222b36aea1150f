package com.diotec360.lattice.node;

import com.diotec360.lattice.node.api.SyncEndpoints;
import com.diotec360.lattice.node.state.Entry;
import com.diotec360.lattice.node.sync.AntiEntropy;
import com.diotec360.lattice.node.sync.PeerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fetch and page answers are capped at {@link SyncEndpoints#MAX_ANSWER_DATA_BYTES} of entry data (fetch
 * defers the rest, a page ends early), and anti-entropy still moves every entry across.
 */
class LargeEntrySyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void answersAreCappedAndAntiEntropyStillConverges() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            Map<String, String> quiet = Map.of("DIOTEC360_P2P_ENABLED", "false", "DIOTEC360_HTTP_POLL_INTERVAL", "3600");
            LatticeNode a = lattice.start("big-a", quiet);
            LatticeNode b = lattice.start("big-b", quiet);
            List<Entry> big = new ArrayList<>();
            for (int i = 0; i < 120; i++) { // 120 × 64 KiB ≈ 7.9 MB, about twice the cap
                big.add(Entry.ofText(i + "-" + "z".repeat(64 * 1024 - 8)));
            }
            a.state().add(big, "test").get(30, TimeUnit.SECONDS);

            StringBuilder ids = new StringBuilder("{\"ids\":[");
            for (int i = 0; i < big.size(); i++) {
                ids.append(i == 0 ? "" : ",").append('"').append(big.get(i).id().hex()).append('"');
            }
            JsonNode fetched = JSON.readTree(TestNodes.post(a, "/api/lattice/entries/fetch", ids + "]}", null).body());
            int sent = fetched.get("entries").size();
            assertThat(sent).isBetween(1, big.size() - 1);
            assertThat(fetched.get("deferred").size()).isEqualTo(big.size() - sent);
            assertThat(fetched.get("missing")).isEmpty();
            assertThat((long) sent * 64 * 1024).isLessThanOrEqualTo(SyncEndpoints.MAX_ANSWER_DATA_BYTES + 64 * 1024);

            JsonNode page = JSON.readTree(TestNodes.get(a, "/api/lattice/entries?limit=10000").body());
            assertThat(page.get("entries").size()).isLessThan(big.size());
            assertThat(page.get("next_after").isTextual()).as("a capped page says where to go on").isTrue();

            AntiEntropy.Result r = new AntiEntropy(b.state(), new PeerHttpClient(Duration.ofSeconds(30)), Optional.empty())
                    .reconcile(TestNodes.url(a));
            assertThat(r.pulled()).isEqualTo(big.size());
            assertThat(b.state().merkleRoot()).isEqualTo(a.state().merkleRoot());
        }
    }
}
