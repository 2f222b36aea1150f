package com.diotec360.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fault (issue 20): etcd is compacted while the operator's watches are behind. The operator's only
 * route to a real kube-apiserver goes through a loopback {@link TcpProxy}; the proxy stalls it
 * (a black hole) while nodes are created, changed and deleted through the test's own client; etcd
 * is then compacted to its current revision, and the proxy heals (the stalled connections are
 * reset). Every watch the operator resumes asks for a revision etcd no longer has: the server
 * answers 410 Gone, the informers list again, and every change, deletions included, must show up
 * in the operator's objects and status.
 *
 * <p>The API server runs with {@code --watch-cache=false}, so that every watch is served by etcd.
 * With its watch cache on, kube-apiserver answers a resume from the cache while the revision is
 * still in the cache's window (a few seconds old here: always), and no 410 would be sent; a
 * cluster sends 410 for a watch that is further behind than its cache holds, which is what this
 * test makes happen at once. That 410 was sent is read from the operator's log (fabric8's
 * "Watch restarting due to http gone").
 */
class EtcdCompactionIT {

  private static final Duration STALL = Duration.ofSeconds(10);
  private static final Duration RECOVERY_WAIT = Duration.ofSeconds(90);

  @Test
  void watchesBehindACompactionListAgainAndMissNothing() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.printf("[compaction] seed %d%n", seed);
    Random random = new Random(seed);
    try (RealCluster cluster = new RealCluster("compaction", "--watch-cache=false");
        TcpProxy proxy = new TcpProxy(cluster.apiPort())) {
      Workload work = new Workload(cluster.client(), random, 3);
      for (int i = 0; i < 10; i++) {
        work.create();
      }
      try (OperatorProcess operator = OperatorProcess.start("operator",
          cluster.kubeconfigFor("operator", proxy.httpsUrl(), false), Map.of(), cluster.workDir(),
          OperatorProcess.watchLogging())) {
        Convergence convergence = new Convergence(cluster.client());
        Convergence.Result start = convergence.await(Duration.ofSeconds(90), () -> "");
        assertThat(start.problems()).as("before the stall; %s", operator.tail(30)).isEmpty();
        long pid = operator.pid();
        long goneBefore = operator.logLines(RealCluster.HTTP_GONE);
        String user = FaultCluster.user("operator");

        long revisionBefore = cluster.etcdRevision();
        long writesBefore = cluster.writes().by(user);
        proxy.stall();
        long t0 = System.nanoTime();
        int ops = 0;
        while (System.nanoTime() - t0 < STALL.toNanos()) {
          switch (ops % 4) {
            case 0 -> work.create();
            case 3 -> work.delete(8);
            default -> work.change();
          }
          ops++;
          OperatorProcess.sleep(1000);
        }
        long writesDuring = cluster.writes().by(user) - writesBefore;
        long revision = cluster.etcdRevision();
        cluster.compactEtcd(revision);
        proxy.heal();
        long healed = System.nanoTime();
        Convergence.Result result = convergence.await(RECOVERY_WAIT, () -> "");
        long caughtUpMs = (System.nanoTime() - healed) / 1_000_000;
        long gone = operator.logLines(RealCluster.HTTP_GONE) - goneBefore;
        System.out.printf("[compaction] stalled %d s: %d changes (%s), %d operator writes got through; etcd"
                + " compacted from revision %d to %d; %d watches got 410 Gone and listed again; caught up %s %d ms"
                + " after the heal; %s%n",
            STALL.toSeconds(), ops, work, writesDuring, revisionBefore, revision, gone,
            result.converged() ? "in" : "NOT within", caughtUpMs, result);
        operator.logLinesWith(RealCluster.HTTP_GONE).stream().limit(10)
            .forEach(l -> System.out.println("[compaction]   operator: " + l));
        assertThat(writesDuring).as("the stall let operator writes through").isZero();
        assertThat(operator.alive()).as("the operator exited; %s", operator.tail(40)).isTrue();
        assertThat(operator.pid()).isEqualTo(pid);
        assertThat(gone).as("no watch was answered 410 Gone after the compaction; %s", operator.tail(40)).isPositive();
        assertThat(result.problems())
            .as("not caught up %s after the compaction and heal; %s", RECOVERY_WAIT, operator.tail(40)).isEmpty();
      }
    }
  }
}
