package com.diotec360.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Fault 2 (issue 14): the operator's only way to the API goes through a loopback {@link TcpProxy};
 * it is cut for 20 s, once refusing connections (and resetting the open ones) and once stalling
 * them (a black hole; at the heal the stalled connections are reset, as by a far end that gave up
 * on them). Meanwhile the test changes nodes
 * through its own direct client. The same operator process must stay alive, and afterwards catch
 * up without a restart: every node has its objects and a status for its generation.
 *
 * <p>Nodes are created and changed during the outage, never deleted: the embedded API's WebSocket
 * watches ignore {@code resourceVersion}, so a watch the client resumes after the outage replays
 * the current objects as ADDED and never says DELETED for what went meanwhile. A real API server
 * sends those DELETED events (or 410 Gone, and the client lists again). Tried with deletions, the
 * operator kept the deleted nodes in its cache (in its peers' peer lists and the shared objects'
 * owners; its status writes for them got 404 until JOSDK gave up): a gap of the test server, not
 * something a cluster would show.
 *
 * <p>Stalled connections that stay black holes for good ({@code heal(false)}) and deletions
 * during the outage are tested on a real API server: {@link SilentWatchIT}, {@link
 * EtcdCompactionIT}.
 */
class ApiOutageIT {

  private static final Duration OUTAGE = Duration.ofSeconds(20);
  /** fabric8 retries a lost watch with backoff up to 32 s; the catch-up may take that long. */
  private static final Duration RECOVERY_WAIT = Duration.ofSeconds(60);

  @Test
  void theSameProcessCatchesUpAfterRefusedAndStalledConnections() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.printf("[outage] seed %d%n", seed);
    Random random = new Random(seed);
    try (FaultCluster cluster = new FaultCluster("outage");
        TcpProxy proxy = new TcpProxy(cluster.api().port())) {
      Workload work = new Workload(cluster.client(), random, 3);
      for (int i = 0; i < 10; i++) {
        work.create();
      }
      String user = FaultCluster.user("operator");
      try (OperatorProcess operator = OperatorProcess.start("operator",
          cluster.kubeconfigFor("operator", proxy.url(), false), Map.of(), cluster.workDir())) {
        Convergence convergence = new Convergence(cluster.client());
        long t0 = System.nanoTime();
        Convergence.Result start = convergence.await(Duration.ofSeconds(60), () -> "");
        assertThat(start.problems()).as("before any outage; %s", operator.tail(30)).isEmpty();
        System.out.printf("[outage] %s converged in %d ms through the proxy (%d connections)%n",
            work, (System.nanoTime() - t0) / 1_000_000, proxy.accepted());

        outage("refuse", TcpProxy::refuse, proxy, cluster, work, operator, user, convergence);
        outage("stall", TcpProxy::stall, proxy, cluster, work, operator, user, convergence);
      }
    }
  }

  private static void outage(String kind, Consumer<TcpProxy> cut, TcpProxy proxy, FaultCluster cluster,
      Workload work, OperatorProcess operator, String user, Convergence convergence) throws Exception {
    long pid = operator.pid();
    long writesBefore = cluster.api().writes().by(user);
    long t0 = System.nanoTime();
    cut.accept(proxy);
    int ops = 0;
    // Changes through the direct client while the operator cannot see them.
    while (System.nanoTime() - t0 < OUTAGE.toNanos()) {
      // No deletions: see the class comment.
      if (ops % 3 == 0) {
        work.create();
      } else {
        work.change();
      }
      ops++;
      assertThat(operator.alive()).as("the operator died during the %s outage; %s", kind, operator.tail(40)).isTrue();
      OperatorProcess.sleep(2000);
    }
    long writesDuring = cluster.api().writes().by(user) - writesBefore;
    int stalledOpen = proxy.open();
    proxy.heal();
    long healed = System.nanoTime();
    Convergence.Result result = convergence.await(RECOVERY_WAIT, () -> "");
    long caughtUpMs = (System.nanoTime() - healed) / 1_000_000;
    System.out.printf("[outage] %s for %d s: %d changes meanwhile (%s), %d operator writes got through,"
            + " %d connections open at heal; caught up %s %d ms after the heal, pid %d %s; %s%n",
        kind, OUTAGE.toSeconds(), ops, work, writesDuring, stalledOpen, result.converged() ? "in" : "NOT within",
        caughtUpMs, operator.pid(), operator.alive() ? "alive" : "DEAD", result);
    assertThat(writesDuring).as("the cut let operator writes through").isZero();
    assertThat(operator.alive()).as("the operator exited after the %s outage; %s", kind, operator.tail(40)).isTrue();
    assertThat(operator.pid()).isEqualTo(pid);
    assertThat(result.problems())
        .as("not caught up %s after a %s outage; %s", RECOVERY_WAIT, kind, operator.tail(40)).isEmpty();
  }
}
