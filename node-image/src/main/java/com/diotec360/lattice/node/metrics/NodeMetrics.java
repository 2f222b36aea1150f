package com.diotec360.lattice.node.metrics;

import com.diotec360.lattice.node.mode.SyncMode;
import com.diotec360.lattice.node.mode.SyncModeController;
import com.diotec360.lattice.node.state.LatticeState;
import com.diotec360.lattice.node.sync.PeerHttpClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.IntSupplier;

/** Builds the node's Prometheus registry and its gauges (entries, peers, sync mode, sync bytes). */
public final class NodeMetrics {
    private NodeMetrics() {
    }

    public static PrometheusMeterRegistry create() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public static void bind(PrometheusMeterRegistry registry, LatticeState state, SyncModeController modes,
                            IntSupplier peerCount, PeerHttpClient client) {
        Gauge.builder("lattice_entries", state, LatticeState::size).description("Entries in the local state")
                .register(registry);
        Gauge.builder("lattice_p2p_peers", peerCount, IntSupplier::getAsInt)
                .description("Authenticated P2P peers").strongReference(true).register(registry);
        Gauge.builder("lattice_sync_mode_http", modes, m -> m.current() == SyncMode.HTTP ? 1 : 0)
                .description("1 while HTTP sync is the active mode, 0 while P2P").register(registry);
        FunctionCounter.builder("lattice_http_sync_bytes", client, PeerHttpClient::bytesTransferred)
                .description("Body bytes moved by HTTP anti-entropy").register(registry);
    }
}
