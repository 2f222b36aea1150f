package com.diotec360.lattice.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeProberTest {

  static final NodeTarget TARGET = new NodeTarget(new ResourceID("a", "ns"), "l", "http://a");

  /** A node whose answer the test sets; null means the probe fails. */
  static final class FakeNode implements NodeClient {
    volatile NodeObservation answer = observation("r1", 1, "P2P", 2);

    @Override
    public NodeObservation probe(String baseUrl) throws IOException {
      if (answer == null) {
        throw new IOException("connection refused");
      }
      return answer;
    }

    @Override
    public void switchMode(String baseUrl, String mode, String token) {}
  }

  final FakeNode node = new FakeNode();
  final List<NodeTarget> changes = new ArrayList<>();
  final NodeProber prober =
      new NodeProber(node, Duration.ofHours(1), 3, 2,
          Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), ProbeListener.NONE);

  @AfterEach
  void close() {
    prober.close();
  }

  static NodeObservation observation(String root, long version, String mode, int peers) {
    return new NodeObservation(true, null, root, version, mode, "auto",
        Instant.parse("2026-01-01T00:00:00Z"), peers);
  }

  int cycle() {
    return prober.probeCycle(List.of(TARGET));
  }

  @Test
  void identicalProbesAreNotChanges() {
    assertThat(cycle()).isEqualTo(1);
    assertThat(cycle()).isZero();
    assertThat(cycle()).isZero();
  }

  @Test
  void aNewRootModeOrPeerCountIsAChange() {
    cycle();
    node.answer = observation("r2", 2, "P2P", 2);
    assertThat(cycle()).isEqualTo(1);
    node.answer = observation("r2", 2, "HTTP", 2);
    assertThat(cycle()).isEqualTo(1);
    node.answer = observation("r2", 2, "HTTP", 0);
    assertThat(cycle()).isEqualTo(1);
  }

  @Test
  void unreachableAfterThreeFailuresAndBackOnTheFirstSuccess() {
    cycle();
    node.answer = null;
    assertThat(cycle()).isZero();
    assertThat(cycle()).isZero();
    assertThat(prober.latest(TARGET.id()).orElseThrow().reachable()).isTrue();
    assertThat(cycle()).as("third failure flips it").isEqualTo(1);
    NodeReport down = prober.latest(TARGET.id()).orElseThrow();
    assertThat(down.reachable()).isFalse();
    assertThat(down.eligible()).isFalse();
    assertThat(down.observation()).as("last answer kept").isNotNull();
    assertThat(cycle()).as("still down: no change").isZero();

    node.answer = observation("r1", 1, "P2P", 2);
    assertThat(cycle()).isEqualTo(1);
    assertThat(prober.latest(TARGET.id()).orElseThrow().reachable()).isTrue();
  }

  @Test
  void aNodeNoLongerListedIsForgotten() {
    cycle();
    prober.probeCycle(List.of());
    assertThat(prober.latest(TARGET.id())).isEmpty();
  }

  /**
   * Slow nodes are probed side by side, up to the concurrency: each of four slow nodes answers
   * only once all four are being probed at the same time. A prober that probes one node after the
   * other never gets there, and its probes of them fail (after a bounded wait, in that case only).
   */
  @Test
  void slowNodesAreProbedSideBySide() throws Exception {
    int concurrency = 4;
    CountDownLatch allInFlight = new CountDownLatch(concurrency);
    NodeClient slowAndFast = new NodeClient() {
      @Override
      public NodeObservation probe(String baseUrl) throws IOException {
        if (baseUrl.startsWith("http://slow")) {
          allInFlight.countDown();
          try {
            if (!allInFlight.await(10, TimeUnit.SECONDS)) {
              throw new IOException("the other slow nodes were never probed at the same time");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
          }
        }
        return observation("r1", 1, "P2P", 1);
      }

      @Override
      public void switchMode(String baseUrl, String mode, String token) {}
    };
    try (NodeProber prober = new NodeProber(slowAndFast, Duration.ofHours(1), 1, concurrency,
        Clock.systemUTC(), ProbeListener.NONE)) {
      List<NodeTarget> targets = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        targets.add(new NodeTarget(new ResourceID("slow" + i, "ns"), "l", "http://slow" + i));
      }
      for (int i = 0; i < 30; i++) {
        targets.add(new NodeTarget(new ResourceID("n" + i, "ns"), "l", "http://n" + i));
      }

      prober.probeCycle(targets);

      for (NodeTarget target : targets) {
        assertThat(prober.latest(target.id()))
            .as(target.name() + " answered")
            .hasValueSatisfying(r -> assertThat(r.observation()).isNotNull());
      }
    }
  }
}
