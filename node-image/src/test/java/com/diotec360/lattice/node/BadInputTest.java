package com.diotec360.lattice.node;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint answers bad input with a clear JSON error and leaves state untouched. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private TestNodes lattice;
    private LatticeNode node;
    private LatticeNode noSecret;
    private String rootBefore;

    @BeforeAll
    void start() throws Exception {
        Path dir = TestNodes.tempDir("bad-input");
        lattice = new TestNodes(dir);
        node = lattice.start("target", Map.of());
        noSecret = lattice.start("no-secret", Map.of("DIOTEC360_LATTICE_SECRET", ""));
        TestNodes.write(node, "existing");
        rootBefore = node.state().merkleRoot();
    }

    @AfterAll
    void stop() {
        assertThat(node.state().merkleRoot()).isEqualTo(rootBefore);
        assertThat(node.state().size()).isEqualTo(1);
        lattice.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String... fragments) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).contains("\"error\"").contains(fragments);
    }

    @Test
    void entriesRejectsBadBodies() throws Exception {
        String s = TestNodes.SECRET;
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\": ", s), 400, "malformed JSON");
        assertError(TestNodes.post(node, "/api/lattice/entries", "", s), 400, "empty");
        assertError(TestNodes.post(node, "/api/lattice/entries", "[1,2]", s), 400, "JSON object");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{}", s), 400, "either");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":5}", s), 400, "'data' must be a string");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"\"}", s), 400, "must not be empty");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"x\",\"entries\":[]}", s), 400, "either");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"entries\":[]}", s), 400, "non-empty array");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"entries\":[{\"data\":\"ok\"},{\"x\":1}]}", s),
                400, "entries[1]");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"" + "a".repeat(70_000) + "\"}", s),
                400, "limit");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"" + "a".repeat(1_100_000) + "\"}", s),
                413, "1048576");
        assertError(TestNodes.post(node, "/api/lattice/entries", "[".repeat(5000), s), 400, "malformed JSON");
    }

    @Test
    void writesNeedTheToken() throws Exception {
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"x\"}", null), 401, "Authorization");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"x\"}", "wrong"), 401, "wrong bearer");
        assertError(TestNodes.post(node, "/api/lattice/sync/switch?mode=http", "", null), 401, "Authorization");
        assertError(TestNodes.post(node, "/api/lattice/sync/switch?mode=http", "", "wrong"), 401, "wrong bearer");
        assertError(TestNodes.post(noSecret, "/api/lattice/entries", "{\"data\":\"x\"}", "anything"), 503,
                "DIOTEC360_LATTICE_SECRET");
    }

    @Test
    void switchRejectsUnknownModes() throws Exception {
        assertError(TestNodes.post(node, "/api/lattice/sync/switch?mode=turbo", "", TestNodes.SECRET), 400,
                "unknown mode 'turbo'", "\"valid_modes\":[\"auto\",\"p2p\",\"http\"]");
        assertError(TestNodes.post(node, "/api/lattice/sync/switch", "", TestNodes.SECRET), 400, "required");
    }

    @Test
    void syncCallsRejectBadInput() throws Exception {
        assertError(TestNodes.post(node, "/api/lattice/tree", "{\"prefixes\":\"abc\"}", null), 400, "array");
        assertError(TestNodes.post(node, "/api/lattice/tree", "{\"prefixes\":[\"xyz\"]}", null), 400, "hex");
        assertError(TestNodes.post(node, "/api/lattice/tree", "{\"prefixes\":[\"abcde\"]}", null), 400, "hex");
        assertError(TestNodes.post(node, "/api/lattice/tree", "{nope", null), 400, "malformed JSON");
        assertError(TestNodes.post(node, "/api/lattice/entries/fetch", "{\"ids\":[\"zz\"]}", null), 400, "64 hex");
        assertError(TestNodes.post(node, "/api/lattice/entries/fetch", "{\"ids\":{}}", null), 400, "array");
        assertError(TestNodes.get(node, "/api/lattice/entries?limit=0"), 400, "limit");
        assertError(TestNodes.get(node, "/api/lattice/entries?limit=abc"), 400, "limit");
        assertError(TestNodes.get(node, "/api/lattice/entries?after=nothex"), 400, "after");
    }

    @Test
    void unknownPathsAndMethods() throws Exception {
        assertError(TestNodes.get(node, "/nope"), 404, "no such path");
        assertError(TestNodes.get(node, "/api/lattice/statez"), 404, "no such path");
        HttpResponse<String> wrongMethod = TestNodes.send(node, "DELETE", "/api/lattice/state");
        assertError(wrongMethod, 405, "not allowed");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
        assertError(TestNodes.send(node, "GET", "/api/lattice/entries/fetch"), 405, "POST");
        assertError(TestNodes.send(node, "PUT", "/health"), 405, "GET");
    }

    /** Sends raw bytes, half-closes, returns the status line ("" if the node closed without one). */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.httpPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("");
        }
    }

    // Found by NodeFuzzIT: each of these answered 500 (or 200) before.

    @Test
    void brokenFramingAndEncodingAreTheClientsFault() throws Exception {
        assertThat(raw("GET /api/lattice/entries?limit=%zz HTTP/1.1\r\nHost: x\r\n\r\n")).contains(" 400 ");
        assertThat(raw("GET /health?x=% HTTP/1.1\r\nHost: x\r\n\r\n")).contains(" 400 ");
        assertThat(raw("POST /api/lattice/tree HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"prefixes\""))
                .as("body ends before Content-Length").contains(" 400 ");
        assertThat(raw("POST /api/lattice/tree HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"))
                .as("bad chunk size").contains(" 400 ");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line Without Colon\r\n\r\n")).contains(" 400 ");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n")).contains(" 400 ");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(40_000) + "\r\n\r\n"))
                .contains(" 431 ");
    }

    @Test
    void jsonThatIsNotQuiteValidIsRefused() throws Exception {
        String s = TestNodes.SECRET;
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"x\"} junk", s), 400, "malformed JSON");
        assertError(TestNodes.post(node, "/api/lattice/tree", "{\"prefixes\":[\"\"]}}", null), 400, "malformed JSON");
        // JSON allows a lone surrogate; UTF-8 cannot hold it, so it used to be stored as "?".
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"data\":\"\\ud800\"}", s), 400, "unpaired surrogate");
        assertError(TestNodes.post(node, "/api/lattice/entries", "{\"entries\":[{\"data\":\"a\\udc00b\"}]}", s), 400,
                "unpaired surrogate");
        assertThat(TestNodes.post(node, "/api/lattice/entries/fetch",
                "{\"ids\":[\"" + "a".repeat(64) + "\"]}", null).statusCode()).isEqualTo(200);
        // The same id 2,000 times once made the node build 2,000 copies of the entry into one answer.
        String id = "\"" + "b".repeat(64) + "\"";
        assertError(TestNodes.post(node, "/api/lattice/entries/fetch",
                "{\"ids\":[" + String.join(",", java.util.Collections.nCopies(2000, id)) + "]}", null), 400, "twice");
    }

    @Test
    void goodCallsStillWorkAfterBadOnes() throws Exception {
        assertThat(TestNodes.get(node, "/health").body()).contains("\"status\":\"healthy\"");
        assertThat(TestNodes.get(node, "/api/lattice/state").body()).contains("\"entries\":1", "\"version\":1",
                "\"merkle_root\":\"" + rootBefore + "\"", "\"updated_at\"", "\"role\"");
        assertThat(TestNodes.get(node, "/metrics").body()).contains("lattice_entries 1.0");
        assertThat(TestNodes.get(node, "/api/lattice/p2p/status").body()).contains("\"success\":true",
                "\"heartbeat_active\":true", "\"mode\":\"auto\"", "\"sync_mode_since\"", "\"seconds_without_peers\"");
    }
}
