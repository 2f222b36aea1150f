package com.diotec360.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fault (issue 20): every connection the operator has open to a real kube-apiserver goes silent
 * without closing: the loopback {@link TcpProxy} in front of it stops forwarding on them for good
 * but keeps the sockets open ({@code stall()} then {@code heal(false)}), as a NAT or load balancer
 * that forgot them and drops their packets. New connections work. Nodes are created, changed and
 * deleted; the same operator process must notice that its watches are dead, connect again and
 * reconcile every change.
 *
 * <p>Nothing but the client can notice: no RST or FIN ever comes. The operator's client pings
 * (see {@code LatticeOperator.kubernetesClient}); the bound below is two ping intervals to notice,
 * then the watch reconnect backoff and a relist, with room for a loaded machine.
 */
class SilentWatchIT {

  private static final Duration RECOVERY_WAIT = Duration.ofSeconds(90);

  @Test
  void deadConnectionsThatStayOpenAreNoticedAndNothingIsMissed() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.printf("[silent] seed %d%n", seed);
    Random random = new Random(seed);
    try (RealCluster cluster = new RealCluster("silent");
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
        assertThat(start.problems()).as("before the silence; %s", operator.tail(30)).isEmpty();
        long pid = operator.pid();
        long acceptedBefore = proxy.accepted();

        // Every open connection goes silent for good; new ones are forwarded.
        proxy.stall();
        int silenced = proxy.open();
        proxy.heal(false);
        long t0 = System.nanoTime();
        for (int i = 0; i < 2; i++) {
          work.create();
        }
        for (int i = 0; i < 3; i++) {
          work.change();
        }
        work.delete(5);
        boolean reconnected = OperatorProcess.waitUntil(RECOVERY_WAIT, Duration.ofMillis(100),
            () -> proxy.accepted() > acceptedBefore);
        long reconnectedMs = (System.nanoTime() - t0) / 1_000_000;
        Convergence.Result result = convergence.await(RECOVERY_WAIT, () -> "");
        long caughtUpMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[silent] %d connections silenced; %s; first new connection %s %d ms later,"
                + " caught up %s %d ms after the silence began (%d new connections); %s%n",
            silenced, work, reconnected ? "" : "NOT", reconnectedMs, result.converged() ? "in" : "NOT within",
            caughtUpMs, proxy.accepted() - acceptedBefore, result);
        assertThat(operator.alive()).as("the operator exited; %s", operator.tail(40)).isTrue();
        assertThat(operator.pid()).isEqualTo(pid);
        assertThat(result.problems())
            .as("not caught up %s after its connections went silent; %s", RECOVERY_WAIT, operator.tail(40)).isEmpty();
      }
    }
  }
}
