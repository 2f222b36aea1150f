package com.diotec360.lattice.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * The graceful handover time, over several runs (a benchmark, not a test: it asserts nothing).
 * A real API server with 10 LatticeNodes and two operator processes with leader election; each
 * run waits a random 0-4.4 s after both replicas started (a random moment of the standby's retry
 * cycle), SIGTERMs the leader, changes a node at once and measures ({@link Handover}); a fresh
 * replica then replaces the old leader as the next standby. Prints a markdown table and the
 * machine's load.
 *
 * <pre>
 * ./mvnw -B -o -q -pl faults test-compile
 * ./mvnw -B -o -q -pl faults exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.diotec360.lattice.faults.HandoverBenchmark -Dexec.args=5
 * </pre>
 */
public final class HandoverBenchmark {

  private HandoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<Handover.Result> results = new ArrayList<>();
    try (RealCluster cluster = new RealCluster("handover-benchmark")) {
      Random random = new Random(1);
      Workload work = new Workload(cluster.client(), random, 3);
      for (int i = 0; i < 10; i++) {
        work.create();
      }
      List<OperatorProcess> processes = new ArrayList<>();
      try {
        int next = 1;
        OperatorProcess first = Handover.replica(cluster, "replica-" + next++);
        OperatorProcess second = Handover.replica(cluster, "replica-" + next++);
        processes.add(first);
        processes.add(second);
        Convergence.Result settled = new Convergence(cluster.client()).await(Duration.ofSeconds(120), () -> "");
        if (!settled.converged()) {
          throw new IllegalStateException("did not settle: " + settled);
        }
        for (int run = 1; run <= runs; run++) {
          awaitStandby(first, second);
          // A pod is deleted at any moment of the standby's retry cycle (2-4.4 s, jittered): without
          // this pause every SIGTERM would fall just after a new standby's first try, and every run
          // would wait nearly a whole cycle.
          OperatorProcess.sleep(random.nextInt(4400));
          String holder = Handover.holder(cluster.client());
          OperatorProcess leader = first.name().equals(holder) ? first : second;
          OperatorProcess standby = leader == first ? second : first;
          Handover.Result result = Handover.sigtermLeader(cluster, leader, standby, work, Duration.ofSeconds(40));
          results.add(result);
          System.out.printf("run %d: %s (load %s)%n", run, result, load());
          leader.close();
          first = standby;
          second = Handover.replica(cluster, "replica-" + next++);
          processes.add(second);
        }
      } finally {
        processes.forEach(OperatorProcess::close);
      }
    }
    System.out.println();
    System.out.println("| run | Lease held by the standby | change in status | old leader exited |");
    System.out.println("| --- | --- | --- | --- |");
    for (int i = 0; i < results.size(); i++) {
      Handover.Result r = results.get(i);
      System.out.printf("| %d | %.2f s | %.2f s | %.2f s |%n", i + 1, r.leaseMs() / 1e3, r.reconciledMs() / 1e3,
          r.exitedMs() / 1e3);
    }
    System.out.printf("| median | %s | %s | %s |%n", median(results, Handover.Result::leaseMs),
        median(results, Handover.Result::reconciledMs), median(results, Handover.Result::exitedMs));
    System.out.printf("| max | %s | %s | %s |%n", max(results, Handover.Result::leaseMs),
        max(results, Handover.Result::reconciledMs), max(results, Handover.Result::exitedMs));
    System.out.printf("%nload average (1/5/15 min) at the end: %s%n", load());
  }

  /** Both processes started, one of them holding the Lease. */
  private static void awaitStandby(OperatorProcess a, OperatorProcess b) {
    if (!OperatorProcess.waitUntil(Duration.ofSeconds(90), Duration.ofMillis(100),
        () -> Handover.started(a) && Handover.started(b))) {
      throw new IllegalStateException("replicas did not start:\n" + a.tail(20) + "\n" + b.tail(20));
    }
  }

  private static String median(List<Handover.Result> results, ToLongFunction<Handover.Result> f) {
    long[] v = results.stream().mapToLong(f).sorted().toArray();
    return v.length == 0 ? "-" : String.format("%.2f s", v[v.length / 2] / 1e3);
  }

  private static String max(List<Handover.Result> results, ToLongFunction<Handover.Result> f) {
    return String.format("%.2f s", results.stream().mapToLong(f).max().orElse(0) / 1e3);
  }

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + "/" + parts[1] + "/" + parts[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
