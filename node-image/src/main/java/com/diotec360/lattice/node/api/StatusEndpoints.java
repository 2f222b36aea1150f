package com.diotec360.lattice.node.api;

import com.diotec360.lattice.node.LatticeNode;
import com.diotec360.lattice.node.api.HttpApiServer.ApiResponse;
import com.diotec360.lattice.node.mode.SyncModeController;
import com.diotec360.lattice.node.p2p.P2pNetwork;
import com.diotec360.lattice.node.state.LatticeState;
import com.diotec360.lattice.node.sync.PeerHealth;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Read-only status calls: /health, /api/lattice/state, /api/lattice/p2p/status, /metrics. */
public final class StatusEndpoints {
    private final LatticeNode node;

    public StatusEndpoints(LatticeNode node) {
        this.node = node;
    }

    public void register(HttpApiServer server) {
        server.route("GET", "/health", r -> health())
                .route("GET", "/api/lattice/state", r -> state())
                .route("GET", "/api/lattice/p2p/status", r -> p2pStatus())
                .route("GET", "/metrics", r -> new ApiResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                        node.metrics().scrape().getBytes(StandardCharsets.UTF_8)));
    }

    private ApiResponse health() {
        String reason = node.state().unhealthyReason();
        if (reason != null) {
            return ApiResponse.json(503, Json.object().put("status", "unhealthy").put("reason", reason)
                    .put("node_name", node.config().nodeName()));
        }
        LatticeState.Summary summary = node.state().summary();
        return ApiResponse.ok(Json.object().put("status", "healthy")
                .put("node_name", node.config().nodeName())
                .put("role", node.config().role())
                .put("environment", node.config().environment())
                .put("merkle_root", summary.merkleRoot())
                .put("entries", summary.entries())
                .put("sync_mode", node.modes().current().name()));
    }

    /** One consistent snapshot: root, version and updated_at all describe the same state. */
    private ApiResponse state() {
        LatticeState.Summary summary = node.state().summary();
        return ApiResponse.ok(Json.object()
                .put("success", true)
                .put("node_name", node.config().nodeName())
                .put("role", node.config().role())
                .put("merkle_root", summary.merkleRoot())
                .put("version", summary.entries())
                .put("entries", summary.entries())
                .put("data_bytes", summary.dataBytes())
                .put("updated_at", summary.updatedAt().toString()));
    }

    private ApiResponse p2pStatus() {
        Instant now = node.clock().instant();
        SyncModeController.View v = node.modes().view(now);
        P2pNetwork p2p = node.p2p();
        boolean started = p2p != null && p2p.isRunning();
        int peerCount = started ? p2p.peerCount() : 0;
        ObjectNode out = Json.object()
                .put("success", true)
                .put("node_name", node.config().nodeName())
                .put("p2p_enabled", node.config().p2pEnabled())
                .put("started", started)
                .put("peer_count", peerCount)
                .put("has_peers", peerCount > 0)
                .put("http_sync_enabled", node.poller().enabled())
                .put("sync_mode", v.syncMode().name())
                .put("heartbeat_active", node.heartbeat() != null && node.heartbeat().isActive())
                .put("mode", v.setting().wireName())
                .put("sync_mode_since", v.since().toString())
                .put("seconds_without_peers", v.secondsWithoutPeers())
                .put("p2p_port", started ? p2p.port() : -1);
        ArrayNode names = out.putArray("connected_peers");
        if (started) {
            p2p.connectedPeerNames().forEach(names::add);
        }
        ArrayNode peers = out.putArray("peers");
        for (URI url : node.directory().peers()) {
            PeerHealth.View h = node.poller().peerView(url);
            ObjectNode p = peers.addObject().put("url", url.toString())
                    .put("node_name", h.nodeName())
                    .put("self", h.self())
                    .put("p2p_connected", started && p2p.connectedTo(url))
                    .put("p2p_address", started ? p2p.p2pAddressOf(url) : null)
                    .put("http_reachable", h.reachable())
                    .put("http_consecutive_failures", h.consecutiveFailures())
                    .put("http_last_error", h.lastError());
            p.put("http_last_success", h.lastSuccess() == null ? null : h.lastSuccess().toString());
        }
        return ApiResponse.ok(out);
    }
}
