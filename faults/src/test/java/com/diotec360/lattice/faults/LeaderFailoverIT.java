package com.diotec360.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Fault 3 (issue 14): two operator processes with leader election, each with its own bearer token
 * (so the embedded API counts each identity's writes apart). The leader is SIGKILLed at a seeded
 * random moment while nodes change; the standby must take over within the lease duration, and at
 * no time may both identities write: sampled every 25 ms, the old leader's last write comes
 * before the new leader's first.
 */
class LeaderFailoverIT {

  private static final String LEASE_NAMESPACE = "lattice-system";
  /** JOSDK's default lease duration and retry period (LeaderElectionConfiguration). */
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Duration RETRY = Duration.ofSeconds(2);
  /**
   * The standby counts the 15 s from when it saw the last renewal (up to one retry period after
   * it happened) and tries again every retry period: 15 s + 2 × 2 s, plus 1 s for this test's own
   * polling.
   */
  private static final Duration TAKEOVER_BOUND = LEASE.plus(RETRY.multipliedBy(2)).plusSeconds(1);
  private static final Duration SAMPLE = Duration.ofMillis(25);

  /** One sample of the write counts by identity. */
  private record Sample(long nanos, long a, long b) {}

  @Test
  void theStandbyTakesOverWithinTheLeaseAndTheTwoNeverWriteAtOnce() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.printf("[failover] seed %d%n", seed);
    Random random = new Random(seed);
    try (FaultCluster cluster = new FaultCluster("failover")) {
      Workload work = new Workload(cluster.client(), random, 3);
      for (int i = 0; i < 10; i++) {
        work.create();
      }
      String userA = FaultCluster.user("replica-a");
      String userB = FaultCluster.user("replica-b");
      List<Sample> samples = new ArrayList<>();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          var w = cluster.api().writes();
          synchronized (samples) {
            samples.add(new Sample(System.nanoTime(), w.by(userA), w.by(userB)));
          }
          OperatorProcess.sleep(SAMPLE.toMillis());
        }
      }, "write-sampler");
      sampler.setDaemon(true);
      sampler.start();

      try (OperatorProcess a = replica(cluster, "replica-a");
          OperatorProcess b = replica(cluster, "replica-b")) {
        Convergence convergence = new Convergence(cluster.client());
        Convergence.Result settled = convergence.await(Duration.ofSeconds(60), () -> "");
        assertThat(settled.problems()).as("%s%n%s", a.tail(30), b.tail(30)).isEmpty();
        String holder = holder(cluster);
        assertThat(holder).isIn("replica-a", "replica-b");
        OperatorProcess leader = holder.equals("replica-a") ? a : b;
        OperatorProcess standby = leader == a ? b : a;
        String leaderUser = FaultCluster.user(leader.name());
        String standbyUser = FaultCluster.user(standby.name());
        assertThat(cluster.api().writes().by(standbyUser)).as("writes by the standby while the leader leads").isZero();

        // Nodes change every 200-500 ms; the leader dies at a random moment among the changes.
        long killAt = System.nanoTime() + Duration.ofMillis(500 + random.nextInt(2500)).toNanos();
        while (System.nanoTime() < killAt) {
          if (random.nextInt(3) == 0) {
            work.create();
          } else {
            work.change();
          }
          OperatorProcess.sleep(200 + random.nextInt(300));
        }
        long leaderWritesAtKill = cluster.api().writes().by(leaderUser);
        long killed = System.nanoTime();
        leader.kill9();
        // Keep changing nodes while nobody leads.
        boolean tookOver = false;
        long tookOverAt = 0;
        while (System.nanoTime() - killed < TAKEOVER_BOUND.toNanos() + Duration.ofSeconds(5).toNanos()) {
          work.change();
          if (standby.name().equals(holder(cluster)) && cluster.api().writes().by(standbyUser) > 0) {
            tookOver = true;
            tookOverAt = System.nanoTime();
            break;
          }
          OperatorProcess.sleep(250);
        }
        double takeoverSeconds = (tookOverAt - killed) / 1e9;
        assertThat(tookOver).as("%s did not take over within %s; %s", standby.name(), TAKEOVER_BOUND, standby.tail(30)).isTrue();
        Convergence.Result after = convergence.await(Duration.ofSeconds(60), () -> "");
        long caughtUp = System.nanoTime();
        sampling.set(false);
        sampler.join();

        // Write periods per identity, from the samples.
        long[] periodA = period(samples, true);
        long[] periodB = period(samples, false);
        long[] leaderPeriod = leader == a ? periodA : periodB;
        long[] standbyPeriod = leader == a ? periodB : periodA;
        long start = samples.get(0).nanos();
        System.out.printf("[failover] leader %s (pid %d) killed at %.2f s after %d writes; %s took over in %.1f s (bound %d s);"
                + " writes %s from %.2f s to %.2f s, %s from %.2f s to %.2f s (since sampling began, every %d ms);"
                + " caught up %.1f s after the kill: %s; %s%n",
            leader.name(), leader.pid(), (killed - samples.get(0).nanos()) / 1e9, leaderWritesAtKill, standby.name(), takeoverSeconds, TAKEOVER_BOUND.toSeconds(),
            leader.name(), sec(leaderPeriod[0], start), sec(leaderPeriod[1], start),
            standby.name(), sec(standbyPeriod[0], start), sec(standbyPeriod[1], start), SAMPLE.toMillis(),
            (caughtUp - killed) / 1e9, after, work);
        System.out.printf("[failover] writes by user: %s%n", cluster.api().writes().byUser());

        assertThat(takeoverSeconds).isLessThanOrEqualTo(TAKEOVER_BOUND.toSeconds());
        // The last write was seen by a sample taken after it: it happened after the sample before,
        // which must be before the kill (a sampler late under load only delays seeing it).
        assertThat(leaderPeriod[2]).as("the old leader's last write is before the kill").isLessThanOrEqualTo(killed);
        assertThat(standbyPeriod[0]).as("the new leader's first write comes after the old leader's last")
            .isGreaterThan(leaderPeriod[1]).isGreaterThan(killed);
        assertThat(standby.alive()).as(standby.tail(30)).isTrue();
        assertThat(after.problems()).as("not converged after the takeover; %s", standby.tail(30)).isEmpty();
      } finally {
        sampling.set(false);
      }
    }
  }

  private static OperatorProcess replica(FaultCluster cluster, String identity) {
    return OperatorProcess.start(identity, cluster.kubeconfigFor(identity, cluster.api().url(), true),
        Map.of("LATTICE_LEADER_ELECTION", "true", "POD_NAME", identity,
            "LATTICE_LEADER_ELECTION_LEASE_NAMESPACE", LEASE_NAMESPACE),
        cluster.workDir());
  }

  private static String holder(FaultCluster cluster) {
    Lease lease = cluster.client().leases().inNamespace(LEASE_NAMESPACE).withName("lattice-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The sample times of an identity's first and last write (the sample where its count grew). */
  /**
   * When an identity wrote, from the samples: {first, last, lastFrom}. A write is seen by the first
   * sample after it, so the last write happened after {@code lastFrom} (the sample before) and no
   * later than {@code last}; a sampler that runs late under load widens that window, never moves it.
   */
  private static long[] period(List<Sample> samples, boolean a) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long lastFrom = Long.MIN_VALUE;
    synchronized (samples) {
      for (int i = 1; i < samples.size(); i++) {
        Sample prev = samples.get(i - 1);
        Sample s = samples.get(i);
        boolean grew = a ? s.a() > prev.a() : s.b() > prev.b();
        if (i == 1 && (a ? prev.a() : prev.b()) > 0) {
          first = Math.min(first, prev.nanos());
          last = Math.max(last, prev.nanos());
        }
        if (grew) {
          first = Math.min(first, s.nanos());
          if (s.nanos() > last) {
            last = s.nanos();
            lastFrom = prev.nanos();
          }
        }
      }
    }
    return new long[] {first, last, lastFrom};
  }

  private static double sec(long nanos, long start) {
    return nanos == Long.MAX_VALUE || nanos == Long.MIN_VALUE ? Double.NaN : (nanos - start) / 1e9;
  }
}
