package com.diotec360.lattice.node.api;

import com.diotec360.lattice.node.LatticeNode;
import com.diotec360.lattice.node.api.HttpApiServer.ApiResponse;
import com.diotec360.lattice.node.config.PeerUrls;
import com.diotec360.lattice.node.state.LatticeState;
import com.diotec360.lattice.node.sync.AntiEntropy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/lattice/sync/resync} (bearer token), body {@code {"from":"<peer base URL>"}}: one
 * anti-entropy reconciliation with that peer right now, whatever the sync mode and the configured peers
 * (the operator's self-heal asks a diverged node to resynchronise from a reference holder). It pulls what
 * the node lacks and pushes what the peer lacks: set union, nothing is ever deleted. One resync runs at a
 * time (409 otherwise); the answer comes within {@link #ANSWER_WITHIN_SECONDS} s, else 202 and the resync
 * finishes in the background.
 */
public final class ResyncEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ResyncEndpoint.class);
    public static final String PATH = "/api/lattice/sync/resync";
    static final int MAX_URL_CHARS = 2048;
    /** Per request to the peer (connect: 2 s, from the node's client). */
    static final Duration PEER_REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** Below the JDK server's 60 s answer limit, so the caller gets an answer rather than a closed connection. */
    static final long ANSWER_WITHIN_SECONDS = 45;

    private final LatticeNode node;
    private final AtomicBoolean running = new AtomicBoolean();

    public ResyncEndpoint(LatticeNode node) {
        this.node = node;
    }

    public void register(HttpApiServer server) {
        server.route("POST", PATH, this::resync);
    }

    private ApiResponse resync(ApiRequest request) throws ApiException {
        WriteEndpoints.authorize(node.config().latticeSecret(), request);
        URI from = parseFrom(request.jsonObject());
        if (!running.compareAndSet(false, true)) {
            throw new ApiException(409, "a resync is already running on this node; try again when it has finished");
        }
        LOG.atInfo().addKeyValue("event", "resync_started").addKeyValue("from", from.toString())
                .log("Resynchronising from a peer on request");
        AntiEntropy antiEntropy = node.antiEntropy().with(node.httpClient().withTimeout(PEER_REQUEST_TIMEOUT));
        CompletableFuture<AntiEntropy.Result> run = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                run.complete(antiEntropy.reconcile(from));
            } catch (Throwable t) {
                run.completeExceptionally(t);
            } finally {
                running.set(false);
            }
        }, "resync-" + node.config().nodeName());
        worker.setDaemon(true);
        worker.start();
        AntiEntropy.Result r;
        try {
            r = run.get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.whenComplete((done, failure) -> log(from, done, failure));
            return ApiResponse.json(202, Json.object().put("success", true).put("completed", false)
                    .put("from", from.toString())
                    .put("message", "the resync takes longer than " + ANSWER_WITHIN_SECONDS + " s and goes on in the"
                            + " background; watch merkle_root in /api/lattice/state"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "node is stopping");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            log(from, null, cause);
            if (cause instanceof AntiEntropy.LocalStoreException) {
                throw new ApiException(503, "could not store what " + from + " sent: " + reason(cause));
            }
            ApiException failed = new ApiException(502, "resync from " + from + " failed: " + reason(cause)
                    + " (entries already pulled are kept)");
            failed.body().put("from", from.toString());
            throw failed;
        }
        log(from, r, null);
        LatticeState.Summary summary = node.state().summary();
        ObjectNode out = Json.object().put("success", true).put("completed", true)
                .put("from", from.toString())
                .put("peer_node_name", r.peerNodeName())
                .put("already_equal", r.alreadyEqual())
                .put("pulled", r.pulled())
                .put("pushed", r.pushed())
                .put("method", r.method().name().toLowerCase(Locale.ROOT))
                .put("round_trips", r.roundTrips())
                .put("bytes", r.bytes())
                .put("merkle_root", summary.merkleRoot())
                .put("entries", summary.entries());
        return ApiResponse.ok(out);
    }

    static URI parseFrom(JsonNode body) throws ApiException {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("from")) {
                throw new ApiException(400, "unknown field '" + name + "'; the body is {\"from\": \"<peer base URL>\"}");
            }
        }
        JsonNode from = body.get("from");
        if (from == null || !from.isTextual() || from.asText().isBlank()) {
            throw new ApiException(400, "field 'from' must be the base URL of the peer to resync from, e.g."
                    + " \"http://node1:8000\"");
        }
        String text = from.asText();
        if (text.length() > MAX_URL_CHARS) {
            throw new ApiException(400, "field 'from' is " + text.length() + " characters; the limit is " + MAX_URL_CHARS);
        }
        URI uri;
        try {
            uri = PeerUrls.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "field 'from': " + e.getMessage());
        }
        if (uri.getRawUserInfo() != null) {
            throw new ApiException(400, "field 'from' must not carry user information (user:password@)");
        }
        return uri;
    }

    private static String reason(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null && out.length() < 500; c = c.getCause() == c ? null : c.getCause()) {
            String message = c.getMessage();
            String part = c.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
            if (out.indexOf(part) < 0) {
                out.append(out.length() == 0 ? "" : " <- ").append(part);
            }
        }
        return out.length() > 500 ? out.substring(0, 500) + "..." : out.toString();
    }

    private static void log(URI from, AntiEntropy.Result r, Throwable failure) {
        if (failure != null) {
            LOG.atWarn().addKeyValue("event", "resync_failed").addKeyValue("from", from.toString())
                    .addKeyValue("error", reason(failure)).log("Resync from a peer failed");
        } else if (r != null) {
            LOG.atInfo().addKeyValue("event", "resync_done").addKeyValue("from", from.toString())
                    .addKeyValue("pulled", r.pulled()).addKeyValue("pushed", r.pushed())
                    .addKeyValue("method", r.method().name()).addKeyValue("bytes", r.bytes())
                    .log("Resync from a peer done");
        }
    }
}
