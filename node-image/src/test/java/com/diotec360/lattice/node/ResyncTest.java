package com.diotec360.lattice.node;

import com.diotec360.lattice.node.state.Entry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/lattice/sync/resync: a node cut off from its peers (none configured, P2P off, no polling)
 * pulls what it lacks from the reference holder it is told about, pushes what the holder lacks, and
 * deletes nothing; without the token, with bad input or an unreachable peer it answers a clear error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/lattice/sync/resync";
    /** No peers, no P2P, no HTTP polling: nothing but the resync call can bring entries in. */
    private static final Map<String, String> CUT_OFF = Map.of("DIOTEC360_P2P_ENABLED", "false",
            "DIOTEC360_HTTP_POLL_INTERVAL", "3600", "DIOTEC360_PEERLESS_TIMEOUT", "3600", "DIOTEC360_SYNC_MODE", "http");

    private TestNodes lattice;
    private LatticeNode reference;
    private LatticeNode cutOff;
    private LatticeNode noSecret;

    @BeforeAll
    void start() throws Exception {
        lattice = new TestNodes(TestNodes.tempDir("resync"));
        reference = lattice.start("reference", CUT_OFF);
        cutOff = lattice.start("cut-off", CUT_OFF);
        Map<String, String> noSecretEnv = new java.util.HashMap<>(CUT_OFF);
        noSecretEnv.put("DIOTEC360_LATTICE_SECRET", "");
        noSecret = lattice.start("no-secret", noSecretEnv);
    }

    @AfterAll
    void stop() {
        lattice.close();
    }

    private static String body(LatticeNode from) {
        return "{\"from\":\"" + TestNodes.url(from) + "\"}";
    }

    @Test
    void aCutOffNodeGetsWhatItLacksAndTheHolderGetsWhatItLacks() throws Exception {
        List<Entry> held = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            held.add(Entry.ofText("held-by-reference-" + i));
        }
        reference.state().add(held, "test").get(10, TimeUnit.SECONDS);
        List<Entry> mine = new ArrayList<>(held.subList(0, 100));
        mine.add(Entry.ofText("only-on-the-cut-off-node-1"));
        mine.add(Entry.ofText("only-on-the-cut-off-node-2"));
        cutOff.state().add(mine, "test").get(10, TimeUnit.SECONDS);
        // Cut off for real: a few poll intervals' worth of waiting changes nothing.
        Thread.sleep(1_500);
        assertThat(cutOff.state().contains(held.get(299).id())).isFalse();
        assertThat(cutOff.directory().peers()).isEmpty();

        HttpResponse<String> r = TestNodes.post(cutOff, PATH, body(reference), TestNodes.SECRET);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("completed").asBoolean()).isTrue();
        assertThat(answer.get("pulled").asInt()).isEqualTo(200);
        assertThat(answer.get("pushed").asInt()).isEqualTo(2);
        assertThat(answer.get("peer_node_name").asText()).isEqualTo("reference");
        assertThat(answer.get("method").asText()).isIn("walk", "full_transfer");
        assertThat(answer.get("merkle_root").asText()).isEqualTo(cutOff.state().merkleRoot())
                .isEqualTo(reference.state().merkleRoot());
        assertThat(answer.get("entries").asInt()).isEqualTo(302);
        for (Entry e : mine) {
            assertThat(cutOff.state().contains(e.id())).as("nothing is deleted").isTrue();
            assertThat(reference.state().contains(e.id())).as("the holder gets what it lacked").isTrue();
        }
        for (Entry e : held) {
            assertThat(cutOff.state().contains(e.id())).isTrue();
        }

        JsonNode again = JSON.readTree(TestNodes.post(cutOff, PATH, body(reference), TestNodes.SECRET).body());
        assertThat(again.get("already_equal").asBoolean()).isTrue();
        assertThat(again.get("pulled").asInt()).isZero();
        assertThat(again.get("method").asText()).isEqualTo("none");
    }

    private static void assertError(HttpResponse<String> r, int status, String... fragments) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).contains("\"success\":false").contains("\"error\"").contains(fragments);
    }

    @Test
    void withoutTheTokenItIs401AndWithoutASecret503() throws Exception {
        String rootBefore = cutOff.state().merkleRoot();
        assertError(TestNodes.post(cutOff, PATH, body(reference), null), 401, "Authorization");
        assertError(TestNodes.post(cutOff, PATH, body(reference), "wrong"), 401, "wrong bearer");
        assertError(TestNodes.post(noSecret, PATH, body(reference), "anything"), 503, "DIOTEC360_LATTICE_SECRET");
        assertThat(TestNodes.send(cutOff, "GET", PATH).statusCode()).isEqualTo(405);
        assertThat(cutOff.state().merkleRoot()).isEqualTo(rootBefore);
    }

    @Test
    void badInputIs400() throws Exception {
        String s = TestNodes.SECRET;
        assertError(TestNodes.post(cutOff, PATH, "", s), 400, "empty");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\": ", s), 400, "malformed JSON");
        assertError(TestNodes.post(cutOff, PATH, "[\"http://127.0.0.1:1\"]", s), 400, "JSON object");
        assertError(TestNodes.post(cutOff, PATH, "{}", s), 400, "'from'");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":5}", s), 400, "'from'");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"  \"}", s), 400, "'from'");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"ftp://127.0.0.1/x\"}", s), 400, "http://");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"file:///etc/passwd\"}", s), 400, "http://");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"http://\"}", s), 400, "'from'");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"http://127.0.0.1:1/?a=b\"}", s), 400, "query");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"http://u:p@127.0.0.1:1\"}", s), 400, "user");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"not a url\"}", s), 400, "'from'");
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"http://127.0.0.1/" + "a".repeat(3000) + "\"}", s), 400,
                "limit");
        assertError(TestNodes.post(cutOff, PATH, "{\"form\":\"" + TestNodes.url(reference) + "\"}", s), 400,
                "unknown field 'form'");
    }

    @Test
    void anUnreachableOrWrongPeerIs502WithTheReason() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        HttpResponse<String> refused = TestNodes.post(cutOff, PATH, "{\"from\":\"http://127.0.0.1:" + closedPort + "\"}",
                TestNodes.SECRET);
        assertError(refused, 502, "127.0.0.1:" + closedPort, "Connect");
        // A live HTTP server that is not a lattice node there: /nope/api/lattice/state is a 404.
        assertError(TestNodes.post(cutOff, PATH, "{\"from\":\"" + TestNodes.url(reference) + "/nope\"}",
                TestNodes.SECRET), 502, "404");
        // A resync that failed leaves the node able to resync again at once.
        assertThat(TestNodes.post(cutOff, PATH, body(reference), TestNodes.SECRET).statusCode()).isEqualTo(200);
    }
}
