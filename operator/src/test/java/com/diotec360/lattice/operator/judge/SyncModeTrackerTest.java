package com.diotec360.lattice.operator.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncModeTrackerTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
  static final Instant SINCE = Instant.parse("2026-01-01T00:00:30Z");

  @Test
  void firstObservationIsNotATransition() {
    assertThat(SyncModeTracker.transition(null, "P2P", SINCE, NOW)).isEmpty();
  }

  @Test
  void sameModeIsNotATransition() {
    assertThat(SyncModeTracker.transition("HTTP", "HTTP", SINCE, NOW)).isEmpty();
  }

  @Test
  void unknownModeIsNotATransition() {
    assertThat(SyncModeTracker.transition("P2P", null, null, NOW)).isEmpty();
  }

  @Test
  void p2pToHttpIsADegradationAtTheNodesTime() {
    var t = SyncModeTracker.transition("P2P", "HTTP", SINCE, NOW).orElseThrow();
    assertThat(t.isDegradation()).isTrue();
    assertThat(t.isRecovery()).isFalse();
    assertThat(t.at()).isEqualTo(SINCE);
  }

  @Test
  void httpToP2pIsARecovery() {
    var t = SyncModeTracker.transition("HTTP", "P2P", SINCE, NOW).orElseThrow();
    assertThat(t.isRecovery()).isTrue();
    assertThat(t.isDegradation()).isFalse();
  }

  @Test
  void aSinceInTheFutureOrMissingFallsBackToNow() {
    assertThat(SyncModeTracker.transition("P2P", "HTTP", NOW.plusSeconds(5), NOW).orElseThrow().at())
        .isEqualTo(NOW);
    assertThat(SyncModeTracker.transition("P2P", "HTTP", null, NOW).orElseThrow().at())
        .isEqualTo(NOW);
  }
}
