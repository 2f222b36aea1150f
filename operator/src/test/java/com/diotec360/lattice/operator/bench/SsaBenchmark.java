package com.diotec360.lattice.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Server-side apply reconsidered (issue 20 item 4): the operator as it is ({@code DesiredState}
 * matching, PUT) against the same operator with JOSDK's SSA-based dependents
 * ({@code -Dlattice.experiment.ssaDependents=true}: create, update and match by server-side apply
 * for Deployments, Services, PVCs, the PDB and EndpointSlices; ConfigMaps and Secrets stay off SSA
 * as JOSDK keeps them by default; the primary's status is still replaced with PUT), on a fresh
 * server each: 100 warm-up nodes, then N (default 100) in lattices of 4 until every node has its
 * status and the writes stop; then 3 probe intervals idle; then the operator is restarted (a new
 * JVM: the informers fill again and every node is reconciled against what the previous one wrote)
 * and runs until quiet again. Per phase: the operator's writes by kind and verb, refused writes,
 * CPU seconds of the operator's JVM and of the API server, and JOSDK's reconciles started (CPU is
 * taken until every node has its status, as in {@link ReconcileBenchmark}: until quiet would add
 * the window of waiting, in which pending nodes are rechecked every probe interval). The modes alternate, {@code
 * bench.repeats} (2) times each.
 *
 * <p>Arguments: N (default 100). Not a timed test; see operator/BENCHMARKS.md.
 */
public final class SsaBenchmark {

  /** {@code bench.modes}: which to run, in order ("off,on" by default; "on" for SSA alone). */
  static final boolean[] MODES = modes(System.getProperty("bench.modes", "off,on"));

  static boolean[] modes(String list) {
    String[] parts = list.split(",");
    boolean[] out = new boolean[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = parts[i].trim().equals("on");
    }
    return out;
  }

  record Phase(WriteTally writes, double operatorCpu, double apiCpu, double seconds, long reconciles) {}

  record Result(boolean ssa, StatusWatch.Settle settle, Phase toStatus, Phase create, Phase idle, Phase restart,
      String load0, String load1) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int repeats = Integer.getInteger("bench.repeats", 2);
    List<Result> results = new ArrayList<>();
    String where = null;
    for (int r = 0; r < repeats; r++) {
      for (boolean ssa : MODES) {
        System.out.printf("== N = %d, %s, run %d (load %s)%n", n, ssa ? "SSA" : "DesiredState", r + 1, Bench.load());
        try (BenchCluster cluster = BenchCluster.open()) {
          where = cluster.describe();
          results.add(run(cluster, n, ssa));
        }
      }
    }
    System.out.printf("%n%s; %s; probe interval %d s; N = %d in lattices of 4 after 100 warm-up nodes%n",
        where, Bench.machine(), Bench.PROBE_SECONDS, n);
    System.out.println("| dependents | s until every status | writes to settle (per node) | refused | writes idle, 3 probe intervals | writes after an operator restart | operator CPU s until every status (reconciles) | operator CPU s idle 30 s (reconciles) | restart: s until quiet, operator CPU s (reconciles) | API CPU s: until every status; idle; restart | load start → end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "| %s | %s | %d (%.2f) | %s | %d | %s | %.1f (%d) | %.1f (%d) | %.0f, %.1f (%d) | %.1f; %.1f; %.1f | %s → %s |%n",
          r.ssa() ? "JOSDK SSA" : "DesiredState (main)",
          r.settle().done() ? String.format(Locale.ROOT, "%.1f", r.settle().seconds()) : "not settled: " + r.settle().withStatus(),
          r.create().writes().accepted(), r.create().writes().accepted() / (double) n,
          r.create().writes().refused() == 0 ? "0" : r.create().writes().refused() + " " + r.create().writes().refusedByKindVerbCode(),
          r.idle().writes().accepted() + r.idle().writes().refused(),
          r.restart().writes().accepted() + r.restart().writes().refused() == 0 ? "0" : r.restart().writes().describe(),
          r.toStatus().operatorCpu(), r.toStatus().reconciles(), r.idle().operatorCpu(), r.idle().reconciles(),
          r.restart().seconds(), r.restart().operatorCpu(), r.restart().reconciles(),
          r.toStatus().apiCpu(), r.idle().apiCpu(), r.restart().apiCpu(), r.load0(), r.load1());
    }
    System.out.println();
    for (Result r : results) {
      System.out.printf("%s writes to settle: %s%n", r.ssa() ? "SSA" : "DesiredState", r.create().writes().describe());
    }
    System.exit(0);
  }

  static Result run(BenchCluster cluster, int n, boolean ssa) throws Exception {
    String load0 = Bench.load();
    String warm = cluster.namespace(ReconcileBenchmark.WARM_UP_NAMESPACE);
    String ns = cluster.namespace(ReconcileBenchmark.NAMESPACE);
    KubernetesClient admin = cluster.admin();
    Path kubeconfig = cluster.operatorKubeconfig(ssa);
    List<String> jvm = ssa ? List.of(ReconcileBenchmark.SSA_EXPERIMENT) : List.of();
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "lattice-bench-ssa-" + (ssa ? "on" : "off") + ".log");
    Duration window = Duration.ofSeconds(2 * Bench.PROBE_SECONDS);
    OperatorChild child = OperatorChild.start(kubeconfig, Bench.PROBE_SECONDS, Bench.UNREACHABLE_AFTER, OperatorChild.CLOSED, jvm, log);
    try (StatusWatch warmWatch = new StatusWatch(admin, warm); StatusWatch watch = new StatusWatch(admin, ns)) {
      OperatorChild first = child;
      Supplier<WriteTally> writes = () -> cluster.writes(first::writes).by(cluster.operatorUser());
      long w0 = System.nanoTime();
      Bench.create(admin, Bench.nodes(warm, "w", 0, ReconcileBenchmark.WARM_UP, 4, "lattice"));
      warmWatch.await(ReconcileBenchmark.WARM_UP, w0, Bench.SETTLE_TIMEOUT);
      Bench.awaitQuiet(writes, first, window, Bench.QUIET_TIMEOUT);

      // 1. N nodes until every status, then until the writes stop
      WriteTally w = writes.get();
      double op = child.cpu();
      double api = cluster.apiCpuSeconds();
      long r = child.reconcilesStarted();
      long t0 = System.nanoTime();
      Bench.create(admin, Bench.nodes(ns, "n", 0, n, 4, "lattice"));
      StatusWatch.Settle settle = watch.await(n, t0, Bench.SETTLE_TIMEOUT);
      Phase toStatus = new Phase(writes.get().since(w).in(ns), child.cpu() - op, cluster.apiCpuSeconds() - api,
          (System.nanoTime() - t0) / 1e9, child.reconcilesStarted() - r);
      boolean quiet = Bench.awaitQuiet(writes, first, window, Bench.QUIET_TIMEOUT);
      Phase create = new Phase(writes.get().since(w).in(ns), child.cpu() - op, cluster.apiCpuSeconds() - api,
          (System.nanoTime() - t0) / 1e9, child.reconcilesStarted() - r);
      System.out.printf("  settled in %s (%s): %s%n", settle, quiet ? "quiet" : "NOT quiet", create.writes().describe());

      // 2. idle, 3 probe intervals
      w = writes.get();
      op = child.cpu();
      api = cluster.apiCpuSeconds();
      r = child.reconcilesStarted();
      t0 = System.nanoTime();
      Thread.sleep(Duration.ofSeconds(3 * Bench.PROBE_SECONDS).toMillis()); // the idle window itself
      Phase idle = new Phase(writes.get().since(w), child.cpu() - op, cluster.apiCpuSeconds() - api,
          (System.nanoTime() - t0) / 1e9, child.reconcilesStarted() - r);
      System.out.printf("  idle: %s; operator CPU %.1f s%n", idle.writes().describe(), idle.operatorCpu());

      // 3. a new operator JVM on the settled objects, until quiet
      WriteTally before = cluster.writes(first::writes).by(cluster.operatorUser());
      child.close();
      api = cluster.apiCpuSeconds();
      t0 = System.nanoTime();
      child = OperatorChild.start(kubeconfig, Bench.PROBE_SECONDS, Bench.UNREACHABLE_AFTER, OperatorChild.CLOSED, jvm, log.resolveSibling(log.getFileName() + ".restart"));
      OperatorChild second = child;
      // the second JVM counts its own writes from zero: on the harness the audit log counts both
      Supplier<WriteTally> after = BenchCluster.harness(cluster).isPresent()
          ? () -> cluster.writes(second::writes).by(cluster.operatorUser()).since(before)
          : second::writes;
      boolean quietAgain = Bench.awaitQuiet(after, second, window, Bench.QUIET_TIMEOUT);
      Phase restart = new Phase(after.get(), child.cpu(), cluster.apiCpuSeconds() - api, (System.nanoTime() - t0) / 1e9,
          child.reconcilesStarted());
      System.out.printf("  restart (%s): %s; operator CPU %.1f s; JOSDK %s%n", quietAgain ? "quiet" : "NOT quiet",
          restart.writes().describe(), restart.operatorCpu(), child.stats());
      return new Result(ssa, settle, toStatus, create, idle, restart, load0, Bench.load());
    } finally {
      child.close();
    }
  }
}
