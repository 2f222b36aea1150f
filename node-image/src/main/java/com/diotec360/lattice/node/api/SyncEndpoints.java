package com.diotec360.lattice.node.api;

import com.diotec360.lattice.node.api.HttpApiServer.ApiResponse;
import com.diotec360.lattice.node.state.Entry;
import com.diotec360.lattice.node.state.EntryId;
import com.diotec360.lattice.node.state.LatticeState;
import com.diotec360.lattice.node.state.MerkleIndex;
import com.diotec360.lattice.node.sync.PeerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * Read-only calls of the anti-entropy protocol: Merkle trie nodes by prefix, entries by id, and a
 * paged listing of every entry (used as the full-state transfer baseline).
 */
public final class SyncEndpoints {
    public static final int MAX_PAGE = 10_000;
    /**
     * Entry data one fetch or page answer carries at most (it stops after the entry that crosses it), so
     * that 10,000 ids of 64 KiB entries cannot make the node build a 650 MB answer. Fetch lists the ids
     * it left out under {@code deferred}; a page ends early with {@code next_after} set.
     */
    public static final int MAX_ANSWER_DATA_BYTES = 4 * 1024 * 1024;
    private final LatticeState state;

    public SyncEndpoints(LatticeState state) {
        this.state = state;
    }

    public void register(HttpApiServer server) {
        server.route("POST", "/api/lattice/tree", this::tree)
                .route("POST", "/api/lattice/entries/fetch", this::fetch)
                .route("GET", "/api/lattice/entries", this::page);
    }

    private ApiResponse tree(ApiRequest request) throws IOException, ApiException {
        JsonNode prefixes = request.jsonObject().get("prefixes");
        if (prefixes == null || !prefixes.isArray()) {
            throw new ApiException(400, "field 'prefixes' must be an array of hex prefixes (0 to "
                    + MerkleIndex.DEPTH + " lowercase hex digits)");
        }
        if (prefixes.size() > PeerHttpClient.MAX_PREFIXES) {
            throw new ApiException(400, "at most " + PeerHttpClient.MAX_PREFIXES + " prefixes per call");
        }
        MerkleIndex merkle = state.merkle();
        ObjectNode out = Json.object();
        ArrayNode nodes = out.putArray("nodes");
        for (JsonNode p : prefixes) {
            String prefix = p.isTextual() ? p.asText() : null;
            if (!MerkleIndex.isValidPrefix(prefix)) {
                throw new ApiException(400, "prefix " + p + " must be a string of 0 to " + MerkleIndex.DEPTH
                        + " lowercase hex digits");
            }
            ObjectNode n = nodes.addObject().put("prefix", prefix).put("hash", merkle.hashHex(prefix));
            if (prefix.length() < MerkleIndex.DEPTH) {
                ArrayNode children = n.putArray("children");
                merkle.childHashes(prefix).forEach(children::add);
            } else {
                ArrayNode ids = n.putArray("ids");
                merkle.leafIds(prefix).forEach(id -> ids.add(id.hex()));
            }
        }
        return ApiResponse.ok(out);
    }

    private ApiResponse fetch(ApiRequest request) throws IOException, ApiException {
        JsonNode ids = request.jsonObject().get("ids");
        if (ids == null || !ids.isArray()) {
            throw new ApiException(400, "field 'ids' must be an array of 64-character hex entry ids");
        }
        if (ids.size() > PeerHttpClient.MAX_IDS) {
            throw new ApiException(400, "at most " + PeerHttpClient.MAX_IDS + " ids per call");
        }
        List<EntryId> wanted = new ArrayList<>(ids.size());
        Set<EntryId> seen = new HashSet<>();
        for (JsonNode idNode : ids) {
            EntryId id;
            try {
                id = EntryId.fromHex(idNode.isTextual() ? idNode.asText() : null);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "id " + idNode + ": " + e.getMessage());
            }
            if (!seen.add(id)) {
                throw new ApiException(400, "id " + id.hex() + " is asked for twice; ids must be distinct");
            }
            wanted.add(id);
        }
        ObjectNode out = Json.object();
        ArrayNode entries = out.putArray("entries");
        ArrayNode missing = out.putArray("missing");
        ArrayNode deferred = out.putArray("deferred");
        long dataBytes = 0;
        for (EntryId id : wanted) {
            if (dataBytes >= MAX_ANSWER_DATA_BYTES) {
                deferred.add(id.hex());
                continue;
            }
            Optional<Entry> entry = state.get(id);
            if (entry.isPresent()) {
                entries.addObject().put("id", id.hex()).put("data", entry.get().text());
                dataBytes += entry.get().data().length;
            } else {
                missing.add(id.hex());
            }
        }
        return ApiResponse.ok(out);
    }

    private ApiResponse page(ApiRequest request) throws ApiException {
        int limit;
        try {
            limit = Integer.parseInt(request.query("limit").orElse("1000"));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "query parameter 'limit' must be a whole number from 1 to " + MAX_PAGE);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ApiException(400, "query parameter 'limit' must be from 1 to " + MAX_PAGE);
        }
        EntryId after = null;
        if (request.query("after").isPresent()) {
            try {
                after = EntryId.fromHex(request.query("after").get());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "query parameter 'after': " + e.getMessage());
            }
        }
        List<Entry> page = state.page(after, limit);
        ObjectNode out = Json.object();
        ArrayNode entries = out.putArray("entries");
        long dataBytes = 0;
        int sent = 0;
        for (Entry e : page) {
            if (dataBytes >= MAX_ANSWER_DATA_BYTES) {
                break;
            }
            entries.addObject().put("id", e.id().hex()).put("data", e.text());
            dataBytes += e.data().length;
            sent++;
        }
        boolean more = sent < page.size() || page.size() == limit;
        out.put("next_after", more && sent > 0 ? page.get(sent - 1).id().hex() : null);
        return ApiResponse.ok(out);
    }
}
