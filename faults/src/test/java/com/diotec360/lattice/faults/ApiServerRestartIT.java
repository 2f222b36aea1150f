package com.diotec360.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fault (issue 20): on a real kube-apiserver + etcd, the API server is SIGKILLed and started again
 * on the same port and etcd, while the operator process runs on. Its connections are reset, its
 * watches fail and are retried with backoff while the server is down; once it is back, its
 * informers must resume (the new server's watch cache starts empty, so a resume from an older
 * revision may get 410 Gone, and the informer lists again) and the changes made after the restart
 * (creations, spec changes and a deletion) must be reconciled by the same process, without a
 * restart of its own.
 */
class ApiServerRestartIT {

  /** fabric8 retries a lost watch with backoff (1 s doubling to 32 s); the catch-up may take that long. */
  private static final Duration RECOVERY_WAIT = Duration.ofSeconds(90);

  @Test
  void theSameProcessResumesAfterTheApiServerIsKilledAndRestarted() {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.printf("[apiserver-restart] seed %d%n", seed);
    Random random = new Random(seed);
    try (RealCluster cluster = new RealCluster("apiserver-restart")) {
      Workload work = new Workload(cluster.client(), random, 3);
      for (int i = 0; i < 10; i++) {
        work.create();
      }
      try (OperatorProcess operator = OperatorProcess.start("operator",
          cluster.kubeconfigFor("operator", cluster.server().url(), false), Map.of(), cluster.workDir(),
          OperatorProcess.watchLogging())) {
        Convergence convergence = new Convergence(cluster.client());
        Convergence.Result start = convergence.await(Duration.ofSeconds(90), () -> "");
        assertThat(start.problems()).as("before the restart; %s", operator.tail(30)).isEmpty();
        long pid = operator.pid();
        long goneBefore = operator.logLines(RealCluster.HTTP_GONE);

        long killed = System.nanoTime();
        cluster.server().killApiServer();
        cluster.server().startApiServer();
        long up = System.nanoTime();
        assertThat(operator.alive()).as("the operator died while the API server was down; %s", operator.tail(40)).isTrue();

        // Changes the operator can only learn of from its resumed watches.
        for (int i = 0; i < 2; i++) {
          work.create();
        }
        for (int i = 0; i < 3; i++) {
          work.change();
        }
        work.delete(5);
        long changed = System.nanoTime();
        Convergence.Result result = convergence.await(RECOVERY_WAIT, () -> "");
        long caughtUp = System.nanoTime();
        long gone = operator.logLines(RealCluster.HTTP_GONE) - goneBefore;
        System.out.printf("[apiserver-restart] kube-apiserver down and back in %d ms; %s; reconciled %s %d ms"
                + " after the changes; %d informer relists after 410 Gone; pid %d %s; %s%n",
            (up - killed) / 1_000_000, work, result.converged() ? "within" : "NOT within",
            (caughtUp - changed) / 1_000_000, gone, operator.pid(), operator.alive() ? "alive" : "DEAD", result);
        assertThat(operator.alive()).as("the operator exited after the restart; %s", operator.tail(40)).isTrue();
        assertThat(operator.pid()).isEqualTo(pid);
        assertThat(result.problems())
            .as("not caught up %s after the API server came back; %s", RECOVERY_WAIT, operator.tail(40)).isEmpty();
      }
    }
  }
}
