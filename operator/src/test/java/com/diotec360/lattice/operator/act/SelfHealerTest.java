package com.diotec360.lattice.operator.act;

import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.decision.LatticeFacts;

import com.diotec360.lattice.operator.plan.LatticeSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.SelfHealSpec;
import com.diotec360.lattice.operator.api.v1alpha1.SelfHealStatus;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.judge.Connectivity;
import com.diotec360.lattice.operator.judge.RolloutGate;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.support.Nodes;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Self-heal acts only with a majority behind the reference root, on one member at a time. */
class SelfHealerTest {

  static final String R1 = "a".repeat(64);
  static final String R2 = "b".repeat(64);
  static final Duration PROBE = Duration.ofSeconds(2);
  static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

  private final List<String> calls = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private Instant now = T0;

  private final NodeClient client = resyncing((from, to) -> {
    calls.add(from + " <- " + to);
    return 1;
  });

  /** A node client that only resyncs, answering as {@code resync} says. */
  private static NodeClient resyncing(java.util.function.ToIntBiFunction<String, String> resync) {
    return new NodeClient() {
      @Override
      public NodeObservation probe(String baseUrl) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void switchMode(String baseUrl, String mode, String token) {}

      @Override
      public int resync(String baseUrl, String fromUrl, String token) {
        return resync.applyAsInt(baseUrl, fromUrl);
      }
    };
  }

  private final EventRecorder recorder = new EventRecorder(null, Clock.systemUTC()) {
    @Override
    public void normal(io.fabric8.kubernetes.api.model.HasMetadata node, Reason reason, String message) {
      events.add(node.getMetadata().getName() + " " + reason);
    }

    @Override
    public void warning(io.fabric8.kubernetes.api.model.HasMetadata node, Reason reason, String message) {
      events.add(node.getMetadata().getName() + " " + reason + " (Warning)");
    }
  };

  private SelfHealer healer() {
    return new SelfHealer(client, (n, ns) -> "http://" + n, recorder, PROBE,
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        },
        Runnable::run); // resyncs answer at once; the next heal records the answer
  }

  private static LatticeNode healing(String name) {
    LatticeNode n = Nodes.node(name, "lat");
    SelfHealSpec spec = new SelfHealSpec();
    spec.setEnabled(true);
    n.getSpec().setSelfHeal(spec);
    return n;
  }

  private static LatticeJudgement judged(String expected, MemberView... members) {
    LatticeJudge judge = new LatticeJudge(Duration.ZERO);
    return judge.judge(List.of(members), expected, T0);
  }

  private static final Optional<NodeReport> UP = Optional.of(new NodeReport(true, 0, T0, null,
      new NodeObservation(true, null, R2, 1, "P2P", "auto", T0, 1)));

  /** The lattice-wide settings of these tests: self-heal as each member's (deprecated) field says. */
  private static final LatticeSettings SETTINGS =
      new LatticeSettings(null, Optional.empty(), true, 1, false, Duration.ofMinutes(10));

  /** Heals {@code node} with the repair turn its lattice gives (as LatticeReconciler decides it). */
  private SelfHealer.Outcome heal(SelfHealer healer, LatticeNode node, List<LatticeNode> members, LatticeJudgement lattice) {
    Optional<String> turn = LatticeFacts.healing(members, lattice, SETTINGS, null);
    var share = new LatticeDecision.ForMember(lattice.of(node.getMetadata().getName()), false, null, turn,
        List.of(), null, lattice.expectedRootOverride());
    SelfHealer.Outcome out =
        healer.heal(node, SETTINGS.selfHealing(node), share, lattice, UP, Optional.of("token"));
    LatticeNodeStatus status = node.getStatus() == null ? new LatticeNodeStatus() : node.getStatus();
    status.setSelfHeal(out.status());
    node.setStatus(status);
    return out;
  }

  @Test
  void aMinorityMemberIsResyncedThenRestartedThenLeftAlone() {
    SelfHealer healer = healer();
    LatticeNode a = healing("a");
    LatticeNode b = healing("b");
    LatticeNode c = healing("c");
    LatticeJudgement lattice = judged(null,
        MemberView.eligible("a", R1, 2), MemberView.eligible("b", R1, 2), MemberView.eligible("c", R2, 1));
    assertThat(lattice.of("c").verdict()).isEqualTo(Verdict.DIVERGED);

    for (int i = 1; i <= SelfHealer.RESYNCS; i++) {
      SelfHealer.Outcome started = heal(healer, c, List.of(a, b, c), lattice);
      assertThat(c.getStatus().getSelfHeal().getState()).isEqualTo(SelfHealStatus.RESYNCING);
      assertThat(c.getStatus().getSelfHeal().getMessage()).isEqualTo("Resync " + i + " of 3 from a: running");
      assertThat(started.recheckAfter()).as("look again soon for the answer").contains(SelfHealer.POLL);
      heal(healer, c, List.of(a, b, c), lattice); // records the answer
      assertThat(c.getStatus().getSelfHeal().getMessage()).isEqualTo("Resync " + i + " of 3 from a: pulled 1 entry");
      heal(healer, c, List.of(a, b, c), lattice); // too soon: nothing
      now = now.plus(PROBE.multipliedBy(SelfHealer.SPACING));
    }
    assertThat(calls).hasSize(SelfHealer.RESYNCS).allMatch(call -> call.equals("http://c <- http://a"));
    heal(healer, c, List.of(a, b, c), lattice);
    assertThat(c.getStatus().getSelfHeal().getRestarts()).isEqualTo(1);
    now = now.plus(PROBE.multipliedBy(SelfHealer.SPACING));
    heal(healer, c, List.of(a, b, c), lattice);
    assertThat(c.getStatus().getSelfHeal().getState()).isEqualTo(SelfHealStatus.GAVE_UP);
    now = now.plus(PROBE.multipliedBy(10));
    heal(healer, c, List.of(a, b, c), lattice);
    assertThat(calls).hasSize(SelfHealer.RESYNCS);
    assertThat(events).containsExactly("c SelfHealResync", "c SelfHealResync", "c SelfHealResync",
        "c SelfHealRestart", "c SelfHealGaveUp (Warning)");
  }

  @Test
  void withoutAMajorityHoldingTheReferenceRootNothingIsDone() {
    SelfHealer healer = healer();
    LatticeNode a = healing("a");
    LatticeNode b = healing("b");
    LatticeNode c = healing("c");
    // An expected root only one of three holds: b and c are Diverged, but 1 of 3 is no majority.
    LatticeJudgement lattice = judged(R1,
        MemberView.eligible("a", R1, 2), MemberView.eligible("b", R2, 2), MemberView.eligible("c", R2, 2));
    heal(healer, c, List.of(a, b, c), lattice);
    assertThat(calls).isEmpty();
    assertThat(c.getStatus().getSelfHeal().getMessage()).contains("only 1 of 3 members hold the reference root");
  }

  @Test
  void aMemberIsNeverResyncedFromAnExternalMember() {
    SelfHealer healer = healer();
    LatticeNode b = healing("b");
    LatticeNode c = healing("c");
    // "a" holds the reference root but is an external member: the operator never writes through
    // it, and a resync would push c's entries to it.
    LatticeJudgement lattice = judged(null,
        MemberView.eligible("a", R1, 2), MemberView.eligible("b", R1, 2), MemberView.eligible("c", R2, 1));
    LatticeDecision decision = new LatticeDecision(lattice, new Connectivity(java.util.Map.of()),
        RolloutGate.plan(List.of(), java.util.Set.of(), false), Optional.of("c"), List.of(), SETTINGS, java.util.Set.of("a"));
    heal(healer, c, List.of(b, c), decision.forRepair());
    assertThat(calls).containsExactly("http://c <- http://b");
  }

  @Test
  void twoDivergedMembersAreRepairedOneAtATime() {
    SelfHealer healer = healer();
    List<LatticeNode> five = List.of(healing("a"), healing("b"), healing("c"), healing("d"), healing("e"));
    LatticeJudgement lattice = judged(null,
        MemberView.eligible("a", R1, 2), MemberView.eligible("b", R1, 2), MemberView.eligible("c", R1, 2),
        MemberView.eligible("d", R2, 1), MemberView.eligible("e", R2, 1));
    heal(healer, five.get(3), five, lattice);
    heal(healer, five.get(4), five, lattice);
    assertThat(calls).containsExactly("http://d <- http://a");
    assertThat(five.get(4).getStatus().getSelfHeal().getMessage()).contains("d of this lattice is being repaired");
  }

  @Test
  void aDeletedMemberIsForgottenButNotItsNamesakeInAnotherNamespace() {
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    NodeClient hanging = resyncing((from, to) -> {
      try {
        never.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    });
    try (SelfHealer healer = new SelfHealer(hanging, (n, ns) -> "http://" + n, recorder, PROBE, Clock.systemUTC())) {
      List<LatticeNode> three = List.of(healing("a"), healing("b"), healing("c"));
      heal(healer, three.get(2), three, judged(null,
          MemberView.eligible("a", R1, 2), MemberView.eligible("b", R1, 2), MemberView.eligible("c", R2, 1)));
      assertThat(healer.remembered()).as("c's running resync").isEqualTo(1);

      healer.forget(new ResourceID("c", "elsewhere"));
      assertThat(healer.remembered()).isEqualTo(1);

      healer.forget(ResourceID.fromResource(three.get(2)));
      assertThat(healer.remembered()).isZero();
      never.countDown();
    }
  }

  @Test
  void aSlowResyncRunsOffTheReconcileThreadAndIsRecordedWhenItAnswers() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    NodeClient slow = resyncing((from, to) -> {
      try {
        release.await(30, java.util.concurrent.TimeUnit.SECONDS); // a long anti-entropy run
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 7;
    });
    try (SelfHealer healer = new SelfHealer(slow, (n, ns) -> "http://" + n, recorder, PROBE, Clock.systemUTC())) {
      LatticeNode a = healing("a");
      LatticeNode b = healing("b");
      LatticeNode c = healing("c");
      LatticeJudgement lattice = judged(null,
          MemberView.eligible("a", R1, 2), MemberView.eligible("b", R1, 2), MemberView.eligible("c", R2, 1));
      heal(healer, c, List.of(a, b, c), lattice); // returns while the resync runs
      assertThat(c.getStatus().getSelfHeal().getMessage()).isEqualTo("Resync 1 of 3 from a: running");
      SelfHealer.Outcome waiting = heal(healer, c, List.of(a, b, c), lattice);
      assertThat(waiting.recheckAfter()).contains(SelfHealer.POLL);
      assertThat(events).isEmpty();
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        heal(healer, c, List.of(a, b, c), lattice);
        assertThat(c.getStatus().getSelfHeal().getMessage()).isEqualTo("Resync 1 of 3 from a: pulled 7 entries");
      });
      assertThat(events).containsExactly("c SelfHealResync");
    }
  }
}
