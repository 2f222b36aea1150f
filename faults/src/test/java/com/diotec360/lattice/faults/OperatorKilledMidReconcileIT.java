package com.diotec360.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.Writes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fault 1 (issue 14): the operator process is SIGKILLed at seeded random moments while 50
 * LatticeNodes are created, changed and deleted, 20 times, each time replaced by a fresh process.
 * Each kill falls while that process is writing (after its first accepted write). Afterwards one
 * more process must converge: see {@link Convergence} for what that means. Seed: {@code
 * -Dfaults.seed=N} to repeat a run's choices (the interleaving with the operator's threads is
 * not repeatable).
 */
class OperatorKilledMidReconcileIT {

  private static final int NODES = 50;
  private static final int KILLS = 20;
  private static final Duration FIRST_WRITE_WAIT = Duration.ofSeconds(20);
  private static final Duration CONVERGE_WAIT = Duration.ofSeconds(60);

  @Test
  void convergesAfterTwentyKillsWithNothingDuplicatedOrphanedOrStale() {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.printf("[kill-9] seed %d (repeat with -Dfaults.seed=%d)%n", seed, seed);
    Random random = new Random(seed);
    long started = System.nanoTime();
    List<OperatorProcess> processes = new ArrayList<>();
    try (FaultCluster cluster = new FaultCluster("kill-9")) {
      Workload work = new Workload(cluster.client(), random, 6);
      for (int i = 0; i < 8; i++) {
        work.create();
      }
      for (int round = 0; round < KILLS; round++) {
        String identity = "operator-" + round;
        String user = FaultCluster.user(identity);
        OperatorProcess operator = OperatorProcess.start(identity,
            cluster.kubeconfigFor(identity, cluster.api().url(), false), Map.of(), cluster.workDir());
        processes.add(operator);
        long t0 = System.nanoTime();
        boolean wrote = OperatorProcess.waitUntil(FIRST_WRITE_WAIT, Duration.ofMillis(20),
            () -> cluster.api().writes().by(user) > 0);
        assertThat(wrote).as("process %d wrote nothing in %s; %s", round, FIRST_WRITE_WAIT, operator.tail(30)).isTrue();
        long firstWriteMs = (System.nanoTime() - t0) / 1_000_000;
        // While it works: a few more changes at random moments, then the kill at a random moment.
        int opsAlive = 0;
        for (int i = random.nextInt(4); i > 0; i--) {
          OperatorProcess.sleep(random.nextInt(300));
          step(work, round);
          opsAlive++;
        }
        long killAfter = random.nextInt(1500);
        long writesBefore = cluster.api().writes().by(user);
        OperatorProcess.sleep(killAfter);
        assertThat(operator.alive()).as("process %d died by itself; %s", round, operator.tail(40)).isTrue();
        operator.kill9();
        long writes = cluster.api().writes().by(user);
        // While no operator runs: more changes for the next one to catch up on.
        int opsDown = 1 + random.nextInt(3);
        for (int i = 0; i < opsDown; i++) {
          step(work, round);
        }
        // A change step can set a value the node already has (a no-op the next operator rightly
        // ignores), so the next operator always also gets one new node to catch up on.
        work.create();
        System.out.printf("[kill-9] round %2d: pid %d first write after %d ms, killed %d ms after the last"
                + " change with %d writes done (%d in those last ms), %d changes while alive, %d while down; %s%n",
            round, operator.pid(), firstWriteMs, killAfter, writes, writes - writesBefore, opsAlive, opsDown, work);
      }
      while (work.created() < NODES) {
        work.create();
      }

      String identity = "operator-final";
      OperatorProcess last = OperatorProcess.start(identity,
          cluster.kubeconfigFor(identity, cluster.api().url(), false), Map.of(), cluster.workDir());
      processes.add(last);
      long t0 = System.nanoTime();
      Convergence.Result result = new Convergence(cluster.client()).await(CONVERGE_WAIT, () -> "");
      long convergedMs = (System.nanoTime() - t0) / 1_000_000;
      Writes writes = cluster.api().writes();
      System.out.printf("[kill-9] after %d kills: %s; converged %s in %d ms; %s%n", KILLS, work,
          result.converged() ? "yes" : "NO", convergedMs, result);
      System.out.printf("[kill-9] writes by user: %s; by kind: %s; total %.1f s%n", writes.byUser(),
          writes, (System.nanoTime() - started) / 1e9);
      assertThat(result.problems()).as("not converged %s after the last restart; %s", CONVERGE_WAIT, last.tail(40)).isEmpty();
      assertThat(result.nodes()).isEqualTo(work.live().size());
      assertThat(last.alive()).as(last.tail(40)).isTrue();
    } finally {
      processes.forEach(OperatorProcess::close);
    }
  }

  /** Mostly creates until all 50 exist, then changes; deletes now and then (at least 30 stay). */
  private static void step(Workload work, int round) {
    Random random = work.random();
    int roll = random.nextInt(10);
    boolean mayCreate = work.created() < NODES;
    boolean mustCreate = mayCreate && (NODES - work.created()) > (KILLS - round) * 2;
    if (mustCreate || (mayCreate && roll < 4)) {
      work.create();
    } else if (roll < 9) {
      work.change();
    } else {
      work.delete(30);
    }
  }
}
