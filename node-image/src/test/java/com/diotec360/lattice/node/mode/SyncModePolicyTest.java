package com.diotec360.lattice.node.mode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SyncModePolicyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} current={1} running={2} peers={3} peerless={4}s → {5}")
    @CsvSource({
            "AUTO, P2P,  true,  1, -1, P2P",
            "AUTO, HTTP, true,  1, -1, P2P",
            "AUTO, P2P,  true,  0, 59, P2P",
            "AUTO, P2P,  true,  0, 60, HTTP",
            "AUTO, HTTP, true,  0, 5,  HTTP",
            "AUTO, P2P,  false, 0, 0,  HTTP",
            "P2P,  HTTP, true,  0, 600, P2P",
            "P2P,  P2P,  false, 0, 0,  HTTP",
            "HTTP, P2P,  true,  3, -1, HTTP",
    })
    void decides(ModeSetting setting, SyncMode current, boolean running, int peers, int peerlessSeconds,
                 SyncMode expected) {
        Instant since = peerlessSeconds < 0 ? null : T0;
        Instant now = T0.plusSeconds(Math.max(peerlessSeconds, 0));
        assertThat(SyncModePolicy.decide(setting, current, running, peers, since, now, Duration.ofSeconds(60)))
                .isEqualTo(expected);
    }
}
