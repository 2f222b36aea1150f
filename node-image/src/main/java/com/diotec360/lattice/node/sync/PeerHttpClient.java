package com.diotec360.lattice.node.sync;

import com.diotec360.lattice.node.api.Json;
import com.diotec360.lattice.node.state.Entry;
import com.diotec360.lattice.node.state.EntryId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Client for a peer's read-only sync API (and the authenticated push). Counts body bytes both ways. */
public final class PeerHttpClient {
    /** Largest batch in one tree/fetch/push request; the server enforces the same limits. */
    public static final int MAX_PREFIXES = 4096;
    public static final int MAX_IDS = 10_000;
    public static final int PUSH_BYTES = 512 * 1024;

    /** A peer's state summary; {@code dataBytes} is -1 when the peer does not report it (older nodes). */
    public record StateSummary(String merkleRoot, long entries, String nodeName, long dataBytes) {
    }

    public record P2pInfo(String nodeName, int p2pPort, boolean started) {
    }

    /** A tree node as a peer reports it: 16 child hashes for inner nodes, ids for leaves. */
    public record TreeNode(String prefix, List<String> children, List<String> ids) {
    }

    private final HttpClient http;
    private final Duration requestTimeout;
    private final AtomicLong bytes;
    /** Also counts this view's bytes (one reconciliation's), next to the shared total; may be null. */
    private final AtomicLong alsoCount;

    public PeerHttpClient(Duration requestTimeout) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build(), requestTimeout, new AtomicLong(), null);
    }

    private PeerHttpClient(HttpClient http, Duration requestTimeout, AtomicLong bytes, AtomicLong alsoCount) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.bytes = bytes;
        this.alsoCount = alsoCount;
    }

    /**
     * The same client (connections, total byte count) that also adds every body byte it moves to
     * {@code counter}: one reconciliation measures its own bytes while others share the client.
     */
    public PeerHttpClient counting(AtomicLong counter) {
        return new PeerHttpClient(http, requestTimeout, bytes, counter);
    }

    /** The same client with another per-request timeout (shares connections and the byte count). */
    public PeerHttpClient withTimeout(Duration timeout) {
        return new PeerHttpClient(http, timeout, bytes, alsoCount);
    }

    private void count(long n) {
        bytes.addAndGet(n);
        if (alsoCount != null) {
            alsoCount.addAndGet(n);
        }
    }

    /** Request plus response body bytes moved by this client so far. */
    public long bytesTransferred() {
        return bytes.get();
    }

    public StateSummary state(URI peer) throws IOException {
        JsonNode n = get(peer, "/api/lattice/state");
        JsonNode dataBytes = n.get("data_bytes");
        return new StateSummary(n.path("merkle_root").asText(), n.path("entries").asLong(),
                n.path("node_name").asText(),
                dataBytes != null && dataBytes.canConvertToLong() && dataBytes.asLong() >= 0 ? dataBytes.asLong() : -1);
    }

    public P2pInfo p2pInfo(URI peer) throws IOException {
        JsonNode n = get(peer, "/api/lattice/p2p/status");
        return new P2pInfo(n.path("node_name").asText(), n.path("p2p_port").asInt(-1), n.path("started").asBoolean());
    }

    public List<TreeNode> tree(URI peer, List<String> prefixes) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("prefixes");
        prefixes.forEach(arr::add);
        JsonNode answer = post(peer, "/api/lattice/tree", body, Optional.empty());
        List<TreeNode> nodes = new ArrayList<>();
        for (JsonNode n : answer.path("nodes")) {
            nodes.add(new TreeNode(n.path("prefix").asText(), texts(n.get("children")), texts(n.get("ids"))));
        }
        return nodes;
    }

    /** Entries a fetch returned, and the ids the peer deferred to a later call (its answer-size cap). */
    public record Fetched(List<Entry> entries, List<EntryId> deferred) {
    }

    public Fetched fetch(URI peer, List<EntryId> ids) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("ids");
        ids.forEach(id -> arr.add(id.hex()));
        JsonNode answer = post(peer, "/api/lattice/entries/fetch", body, Optional.empty());
        List<Entry> out = new ArrayList<>();
        for (JsonNode n : answer.path("entries")) {
            out.add(Entry.ofText(n.path("data").asText()));
        }
        List<EntryId> deferred = new ArrayList<>();
        for (JsonNode n : answer.path("deferred")) {
            try {
                deferred.add(EntryId.fromHex(n.asText()));
            } catch (IllegalArgumentException e) {
                throw new IOException("peer deferred an invalid id: " + n);
            }
        }
        return new Fetched(out, deferred);
    }

    public void push(URI peer, List<Entry> entries, String secret) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("entries");
        entries.forEach(e -> arr.addObject().put("data", e.text()));
        post(peer, "/api/lattice/entries", body, Optional.of(secret));
    }

    /** One page of the full entry listing (the full-state transfer baseline). */
    public JsonNode page(URI peer, String after, int limit) throws IOException {
        return get(peer, "/api/lattice/entries?limit=" + limit + (after == null ? "" : "&after=" + after));
    }

    /**
     * One page of the listing, parsed: the entries (ids recomputed from the data, never taken on trust)
     * and where the next page starts (null = this was the last).
     */
    public record Page(List<Entry> entries, EntryId nextAfter) {
    }

    public Page entriesPage(URI peer, EntryId after, int limit) throws IOException {
        JsonNode answer = page(peer, after == null ? null : after.hex(), limit);
        JsonNode list = answer.get("entries");
        if (list == null || !list.isArray()) {
            throw new IOException("peer's entry listing has no 'entries' array");
        }
        List<Entry> out = new ArrayList<>(list.size());
        for (JsonNode n : list) {
            JsonNode data = n.get("data");
            if (data == null || !data.isTextual()) {
                throw new IOException("peer listed an entry without a 'data' string");
            }
            out.add(Entry.ofText(data.asText()));
        }
        JsonNode next = answer.get("next_after");
        EntryId nextAfter = null;
        if (next != null && !next.isNull()) {
            try {
                nextAfter = EntryId.fromHex(next.isTextual() ? next.asText() : null);
            } catch (IllegalArgumentException e) {
                throw new IOException("peer answered an invalid next_after: " + next);
            }
        }
        return new Page(out, nextAfter);
    }

    private static List<String> texts(JsonNode arr) {
        if (arr == null || !arr.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>(arr.size());
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }

    private JsonNode get(URI peer, String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(peer + path)).GET(), path);
    }

    private JsonNode post(URI peer, String path, JsonNode body, Optional<String> bearer) throws IOException {
        byte[] bytesOut = Json.MAPPER.writeValueAsBytes(body);
        count(bytesOut.length);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytesOut));
        bearer.ifPresent(s -> b.header("Authorization", "Bearer " + s));
        return send(b, path);
    }

    /**
     * A failed request in the words a person reads in {@code http_last_error} and in the
     * operator's conditions: "connection refused", "connect timed out", "no answer within 20 s",
     * "unknown host peer.example"; the JDK client's exceptions often carry no message at all.
     */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time (" + (t.getMessage() == null ? "timed out" : t.getMessage()) + ")";
            }
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof java.net.NoRouteToHostException) {
                return "no route to host";
            }
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private JsonNode send(HttpRequest.Builder builder, String path) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException(describe(e), e);
        }
        count(response.body().length);
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return Json.MAPPER.readTree(response.body());
    }
}
