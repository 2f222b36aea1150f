package com.diotec360.lattice.node.api;

import com.diotec360.lattice.node.LatticeNode;
import com.diotec360.lattice.node.api.HttpApiServer.ApiResponse;
import com.diotec360.lattice.node.mode.ModeSetting;
import com.diotec360.lattice.node.mode.SyncModeController;
import com.diotec360.lattice.node.state.Entry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Calls that change the node, guarded by the lattice secret: append entries, switch sync mode. */
public final class WriteEndpoints {
    public static final int MAX_BATCH = 10_000;
    public static final int MAX_DATA_BYTES = 64 * 1024;

    private final LatticeNode node;
    private final Counter written;

    public WriteEndpoints(LatticeNode node) {
        this.node = node;
        this.written = Counter.builder("lattice_entries_written").description("Entries accepted by POST /api/lattice/entries")
                .register(node.metrics());
    }

    public void register(HttpApiServer server) {
        server.route("POST", "/api/lattice/entries", this::append)
                .route("POST", "/api/lattice/sync/switch", this::switchMode);
    }

    private void authorize(ApiRequest request) throws ApiException {
        authorize(node.config().latticeSecret(), request);
    }

    /** 503 without a configured secret, 401 unless the request carries it as a bearer token. */
    static void authorize(Optional<String> secret, ApiRequest request) throws ApiException {
        if (secret.isEmpty()) {
            throw new ApiException(503, "writes, mode switches and resyncs are disabled: DIOTEC360_LATTICE_SECRET is"
                    + " not set on this node");
        }
        String header = request.header("Authorization").orElse("");
        if (!header.startsWith("Bearer ")) {
            throw new ApiException(401, "missing 'Authorization: Bearer <lattice secret>' header");
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, secret.get().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "wrong bearer token");
        }
    }

    private ApiResponse append(ApiRequest request) throws IOException, ApiException {
        authorize(request);
        List<Entry> entries = parseEntries(request.jsonObject());
        try {
            node.state().add(entries, "api").get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted before the entries were durable");
        } catch (ExecutionException | TimeoutException e) {
            throw new ApiException(503, "entries could not be made durable: " + e.getCause());
        }
        written.increment(entries.size());
        ObjectNode out = Json.object().put("success", true).put("count", entries.size())
                .put("merkle_root", node.state().merkleRoot());
        ArrayNode ids = out.putArray("ids");
        entries.forEach(e -> ids.add(e.id().hex()));
        return ApiResponse.ok(out);
    }

    static List<Entry> parseEntries(JsonNode body) throws ApiException {
        JsonNode single = body.get("data");
        JsonNode batch = body.get("entries");
        if ((single == null) == (batch == null)) {
            throw new ApiException(400, "send either {\"data\": \"...\"} or {\"entries\": [{\"data\": \"...\"}, ...]}");
        }
        if (single != null) {
            return List.of(toEntry(single, "data"));
        }
        if (!batch.isArray() || batch.isEmpty()) {
            throw new ApiException(400, "field 'entries' must be a non-empty array of {\"data\": \"...\"} objects");
        }
        if (batch.size() > MAX_BATCH) {
            throw new ApiException(400, "at most " + MAX_BATCH + " entries per call (got " + batch.size() + ")");
        }
        List<Entry> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode item = batch.get(i);
            if (!item.isObject() || item.get("data") == null) {
                throw new ApiException(400, "entries[" + i + "] must be an object with a 'data' string");
            }
            out.add(toEntry(item.get("data"), "entries[" + i + "].data"));
        }
        return out;
    }

    private static Entry toEntry(JsonNode data, String field) throws ApiException {
        if (!data.isTextual()) {
            throw new ApiException(400, "field '" + field + "' must be a string");
        }
        String text = data.asText();
        int bad = unpairedSurrogate(text);
        if (bad >= 0) {
            // JSON allows "\ud800" but UTF-8 cannot encode it: storing it would silently store "?" instead.
            throw new ApiException(400, "field '" + field + "' is not valid Unicode: unpaired surrogate at index "
                    + bad);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new ApiException(400, "field '" + field + "' must not be empty");
        }
        if (bytes.length > MAX_DATA_BYTES) {
            throw new ApiException(400, "field '" + field + "' is " + bytes.length + " bytes; the limit is "
                    + MAX_DATA_BYTES);
        }
        return Entry.of(bytes);
    }

    /** Index of the first UTF-16 surrogate without its partner, or -1. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private ApiResponse switchMode(ApiRequest request) throws ApiException {
        authorize(request);
        String raw = request.query("mode").orElse(null);
        Optional<ModeSetting> mode = ModeSetting.parse(raw);
        if (mode.isEmpty()) {
            ApiException e = new ApiException(400, raw == null ? "query parameter 'mode' is required"
                    : "unknown mode '" + raw + "'; valid modes: " + ModeSetting.validNames());
            ArrayNode valid = e.body().putArray("valid_modes");
            Arrays.stream(ModeSetting.values()).forEach(m -> valid.add(m.wireName()));
            throw e;
        }
        node.modes().switchTo(mode.get(), node.clock().instant());
        SyncModeController.View v = node.modes().view(node.clock().instant());
        return ApiResponse.ok(Json.object().put("success", true).put("mode", v.setting().wireName())
                .put("sync_mode", v.syncMode().name()).put("sync_mode_since", v.since().toString()));
    }
}
