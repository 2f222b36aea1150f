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

    public record StateSummary(String merkleRoot, long entries, String nodeName) {
    }

    public record P2pInfo(String nodeName, int p2pPort, boolean started) {
    }

    /** A tree node as a peer reports it: 16 child hashes for inner nodes, ids for leaves. */
    public record TreeNode(String prefix, List<String> children, List<String> ids) {
    }

    private final HttpClient http;
    private final Duration requestTimeout;
    private final AtomicLong bytes = new AtomicLong();

    public PeerHttpClient(Duration requestTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.requestTimeout = requestTimeout;
    }

    /** Request plus response body bytes moved by this client so far. */
    public long bytesTransferred() {
        return bytes.get();
    }

    public StateSummary state(URI peer) throws IOException {
        JsonNode n = get(peer, "/api/lattice/state");
        return new StateSummary(n.path("merkle_root").asText(), n.path("entries").asLong(),
                n.path("node_name").asText());
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
        bytes.addAndGet(bytesOut.length);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytesOut));
        bearer.ifPresent(s -> b.header("Authorization", "Bearer " + s));
        return send(b, path);
    }

    private JsonNode send(HttpRequest.Builder builder, String path) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        bytes.addAndGet(response.body().length);
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return Json.MAPPER.readTree(response.body());
    }
}
