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

  @Test
  void aSlowNodeDoesNotStallTheOthers() throws Exception {
    NodeClient slowAndFast = new NodeClient() {
      @Override
      public NodeObservation probe(String baseUrl) throws IOException {
        if (baseUrl.equals("http://slow")) {
          try {
            Thread.sleep(1500); // stands for a node that hits the read timeout
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IOException("timeout");
        }
        return observation("r1", 1, "P2P", 1);
      }

      @Override
      public void switchMode(String baseUrl, String mode, String token) {}
    };
    try (NodeProber two = new NodeProber(slowAndFast, Duration.ofHours(1), 3, 4, Clock.systemUTC(),
        ProbeListener.NONE)) {
      List<NodeTarget> targets = new ArrayList<>();
      targets.add(new NodeTarget(new ResourceID("slow", "ns"), "l", "http://slow"));
      for (int i = 0; i < 30; i++) {
        targets.add(new NodeTarget(new ResourceID("n" + i, "ns"), "l", "http://n" + i));
      }
      long t0 = System.nanoTime();
      two.probeCycle(targets);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).as("one slow node costs one timeout, not one per node").isLessThan(Duration.ofSeconds(3));
      assertThat(two.latest(new ResourceID("n29", "ns"))).isPresent();
    }
  }
}
