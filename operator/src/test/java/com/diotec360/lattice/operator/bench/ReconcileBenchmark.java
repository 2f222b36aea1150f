package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.plan.LatticePlan;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.plan.NodePlanner;
import com.diotec360.lattice.operator.reconcile.dependents.DesiredState;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeDisruptionBudgetDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticePeerListDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticePeerServiceDependent;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeSecretDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeConfigMapDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeServiceDependent;
import com.diotec360.lattice.operator.reconcile.dependents.StateClaimDependent;
import com.diotec360.lattice.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Reconcile at scale: N LatticeNodes in lattices of L (default 4), created at once by 16 client
 * threads, and the seconds until every node has a status for its generation, beside the floor: one
 * plain fabric8 client with the operator's identity writing exactly the objects the operator would
 * (built by the operator's own builders from a {@link NodePlanner} plan) at the operator's
 * concurrency (JOSDK's 50 reconcile threads), to the same kind of server. Also the operator's
 * writes per node by kind and verb, refused writes by HTTP code, writes while idle, heap after GC
 * and RSS of the operator's JVM ({@link OperatorChild}), and CPU seconds of the operator and of
 * the API server. Where it runs: {@link BenchCluster} (the real-API harness by default, a
 * kubeconfig with {@code -Dbench.kubeconfig}, the embedded API with {@code -Dbench.api=embedded}).
 * Both writers first settle {@value #WARM_UP} nodes in another namespace (JIT warm-up), then the
 * measured N.
 *
 * <p>Arguments: sizes as {@code N} or {@code N:L} (L members per lattice), default
 * {@code 100 1000 5000 1000:1000}. Not a timed test; see operator/BENCHMARKS.md for the command.
 * System properties: {@code bench.probeSeconds} (10), {@code bench.unreachableAfter} (3),
 * {@code bench.settleTimeoutSeconds} (900), {@code bench.quietTimeoutSeconds} (300),
 * {@code bench.floor} (true; false skips the floor run).
 */
public final class ReconcileBenchmark {

  static final String NAMESPACE = "bench";
  static final String WARM_UP_NAMESPACE = "warmup";
  /** Nodes each writer settles first in {@link #WARM_UP_NAMESPACE}, so neither is measured with a cold JIT. */
  static final int WARM_UP = 100;
  static final int DEFAULT_LATTICE_SIZE = 4;
  /** JOSDK 5.2.3's default reconcile threads (ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER). */
  static final int OPERATOR_THREADS = 50;

  /**
   * The switch of the server-side-apply experiment (issue 20 item 4) for the operator's JVM. Only
   * the operator of commit 7b33257..ee66661 (where {@code SsaBenchmark} lives) reads it; the
   * experiment did not win (operator/BENCHMARKS.md, "Server-side apply against DesiredState") and
   * was not merged, so here it changes nothing.
   */
  static final String SSA_EXPERIMENT = "-Dlattice.experiment.ssaDependents=true";

  record Spec(int n, int latticeSize) {
    static Spec parse(String arg) {
      String[] parts = arg.split(":");
      return new Spec(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : DEFAULT_LATTICE_SIZE);
    }

    @Override
    public String toString() {
      return n + (latticeSize == DEFAULT_LATTICE_SIZE ? "" : " in lattices of " + latticeSize);
    }
  }

  /** CPU seconds from the start of the creates until every node had its status. */
  record Cpu(double operator, double api) {}

  record Run(StatusWatch.Settle settle, WriteTally atStatus, WriteTally atQuiet, boolean quiet, WriteTally idle,
      long heapBytes, long rssKb, Cpu cpu, long apiRssKb, String loadAtStart, String loadAtEnd, String where) {}

  public static void main(String[] args) throws Exception {
    List<Spec> specs = new ArrayList<>();
    for (String a : args.length == 0 ? new String[] {"100", "1000", "5000", "1000:1000"} : args) {
      specs.add(Spec.parse(a));
    }
    boolean withFloor = Boolean.parseBoolean(System.getProperty("bench.floor", "true"));
    List<String> rows = new ArrayList<>();
    String where = null;
    for (Spec spec : specs) {
      System.out.printf("== N = %s (load %s)%n", spec, Bench.load());
      Run floor = withFloor ? floor(spec) : null;
      Run op = operator(spec, false);
      rows.add(row(spec, op, floor));
      System.out.println(rows.get(rows.size() - 1));
      where = op.where();
    }
    System.out.printf("%n%s; %s; operator -Xmx%s; probe interval %d s, unreachable after %d probes; load at end %s%n",
        where, Bench.machine(), OperatorChild.HEAP, Bench.PROBE_SECONDS, Bench.UNREACHABLE_AFTER, Bench.load());
    System.out.println("| N | per lattice | operator: s until every node has a status | floor: s | ratio | operator writes/node: at status; settled | refused (by code) | floor writes/node | idle writes, 3 probe intervals | operator heap after GC | operator RSS | CPU s until every status: operator; API server (kube-apiserver + etcd); floor run's API server | load at start → end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.exit(0);
  }

  static String row(Spec spec, Run op, Run floor) {
    int n = spec.n();
    String opSeconds = op.settle().done()
        ? String.format(Locale.ROOT, "%.1f", op.settle().seconds())
        : String.format(Locale.ROOT, "**not settled** in %.0f s: %d/%d with a status", op.settle().seconds(), op.settle().withStatus(), n);
    String floorSeconds = floor == null ? "–" : floor.settle().done()
        ? String.format(Locale.ROOT, "%.1f", floor.settle().seconds())
        : String.format(Locale.ROOT, "not done in %.0f s: %d/%d", floor.settle().seconds(), floor.settle().withStatus(), n);
    String ratio = floor != null && op.settle().done() && floor.settle().done()
        ? String.format(Locale.ROOT, "%.2f×", op.settle().seconds() / floor.settle().seconds()) : "–";
    String opWrites = op.settle().done()
        ? String.format(Locale.ROOT, "%.2f; %.2f%s", op.atStatus().accepted() / (double) n, op.atQuiet().accepted() / (double) n,
            op.quiet() ? "" : " (still writing at the bound)")
        : String.format(Locale.ROOT, "partial: %d writes for %d statuses", op.atStatus().accepted(), op.settle().withStatus());
    String refused = op.atQuiet().refused() == 0 ? "0"
        : op.atQuiet().refused() + " (" + String.format(Locale.ROOT, "%.2f", op.atQuiet().refused() / (double) n) + "/node: "
            + String.join(", ", op.atQuiet().refusedByKindVerbCode().entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).toList()) + ")";
    String floorWrites = floor == null ? "–" : floor.settle().done()
        ? String.format(Locale.ROOT, "%.2f", floor.atQuiet().accepted() / (double) n)
        : String.format(Locale.ROOT, "partial: %d", floor.atQuiet().accepted());
    String idle = !op.settle().done() ? "–" : op.quiet() ? Long.toString(op.idle().accepted() + op.idle().refused())
        : "not quiet: " + op.idle().describe();
    String cpu = String.format(Locale.ROOT, "%.0f; %.0f; %s", op.cpu().operator(), op.cpu().api(),
        floor == null ? "–" : String.format(Locale.ROOT, "%.0f", floor.cpu().api()));
    return String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s → %s |",
        n, spec.latticeSize(), opSeconds, floorSeconds, ratio, opWrites, refused, floorWrites, idle,
        Bench.mib(op.heapBytes()), op.rssKb() < 0 ? "?" : Bench.mib(op.rssKb() << 10), cpu, op.loadAtStart(), op.loadAtEnd());
  }

  // ---------------------------------------------------------------- the operator

  /** The operator on a fresh cluster: warm-up, then N nodes; {@code ssa} runs the SSA experiment. */
  static Run operator(Spec spec, boolean ssa) throws Exception {
    int n = spec.n();
    String load0 = Bench.load();
    try (BenchCluster cluster = BenchCluster.open()) {
      String warm = cluster.namespace(WARM_UP_NAMESPACE);
      String ns = cluster.namespace(NAMESPACE);
      Path log = Path.of(System.getProperty("java.io.tmpdir"), "lattice-bench-operator-" + n + (ssa ? "-ssa" : "") + ".log");
      KubernetesClient admin = cluster.admin();
      try (OperatorChild child = OperatorChild.start(cluster.operatorKubeconfig(ssa), Bench.PROBE_SECONDS,
              Bench.UNREACHABLE_AFTER, OperatorChild.CLOSED, ssa ? List.of(SSA_EXPERIMENT) : List.of(), log);
          StatusWatch warmWatch = new StatusWatch(admin, warm);
          StatusWatch watch = new StatusWatch(admin, ns)) {
        Supplier<WriteTally> writes = () -> cluster.writes(child::writes).by(cluster.operatorUser());
        Duration window = Duration.ofSeconds(2 * Bench.PROBE_SECONDS);
        long w0 = System.nanoTime();
        Bench.create(admin, Bench.nodes(warm, "w", 0, WARM_UP, DEFAULT_LATTICE_SIZE, "lattice"));
        System.out.printf("  operator warm-up: %s%n", warmWatch.await(WARM_UP, w0, Bench.SETTLE_TIMEOUT));
        Bench.awaitQuiet(writes, child, window, Bench.QUIET_TIMEOUT);
        System.out.printf("  operator JOSDK counters after the warm-up: %s%n", child.stats());

        double cpuOp0 = child.cpu();
        double cpuApi0 = cluster.apiCpuSeconds();
        long t0 = System.nanoTime();
        Bench.create(admin, Bench.nodes(ns, "n", 0, n, spec.latticeSize(), "lattice"));
        System.out.printf("  created %d nodes in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        StatusWatch.Settle settle = watch.await(n, t0, Bench.SETTLE_TIMEOUT);
        Cpu cpu = new Cpu(child.cpu() - cpuOp0, cluster.apiCpuSeconds() - cpuApi0);
        WriteTally atStatus = writes.get().in(ns);
        System.out.printf("  operator: %s; load %s%n  JOSDK counters at status: %s%n  writes at status: %s%n",
            settle, Bench.load(), child.stats(), atStatus.describe());
        if (!settle.done()) {
          long[] mem = child.mem();
          return new Run(settle, atStatus, atStatus, false, WriteTally.EMPTY, mem[0], mem[1], cpu,
              cluster.apiRssKb(), load0, Bench.load(), cluster.describe());
        }
        boolean quiet = Bench.awaitQuiet(writes, child, window, Bench.QUIET_TIMEOUT);
        WriteTally atQuiet = writes.get().in(ns);
        WriteTally before = writes.get();
        Thread.sleep(Duration.ofSeconds(3 * Bench.PROBE_SECONDS).toMillis()); // the idle window itself
        WriteTally idle = writes.get().since(before);
        long[] mem = child.mem();
        System.out.printf("  settled (%s): %s%n  per node: %s%n  idle: %s%n", quiet ? "quiet" : "NOT quiet",
            atQuiet.describe(), atQuiet.describePer(n), idle.describe());
        BenchCluster.harness(cluster).ifPresent(h -> System.out.printf(
            "  check: the operator's client counted %d accepted + %d refused writes in %s, the audit log %d + %d%n",
            child.writes().in(ns).accepted(), child.writes().in(ns).refused(), ns, atQuiet.accepted(), atQuiet.refused()));
        return new Run(settle, atStatus, atQuiet, quiet, idle, mem[0], mem[1], cpu, cluster.apiRssKb(), load0, Bench.load(),
            cluster.describe());
      }
    }
  }

  // ---------------------------------------------------------------- the floor

  /**
   * One plain client (the operator's identity) writes what the operator writes, once each: per
   * node its 2 ConfigMaps, state claim, Deployment, Service and status (PUT /status); per lattice
   * its peer Service, secret and disruption budget. A lattice's writes start as soon as its
   * members exist.
   */
  static Run floor(Spec spec) throws Exception {
    String load0 = Bench.load();
    try (BenchCluster cluster = BenchCluster.open()) {
      String warm = cluster.namespace(WARM_UP_NAMESPACE);
      String ns = cluster.namespace(NAMESPACE);
      ClientWrites count = new ClientWrites(cluster.operatorUser());
      try (KubernetesClient client = cluster.operatorClient(count)) {
        System.out.printf("  floor warm-up: %s%n", floorWrites(cluster.admin(), client, warm, new Spec(WARM_UP, DEFAULT_LATTICE_SIZE)));
        double cpuApi0 = cluster.apiCpuSeconds();
        double cpuHere0 = cpuHere();
        StatusWatch.Settle settle = floorWrites(cluster.admin(), client, ns, spec);
        double api = cluster.apiCpuSeconds() - cpuApi0;
        Cpu cpu = new Cpu(cpuHere() - cpuHere0, Double.isNaN(api) ? cpuHere() - cpuHere0 : api);
        WriteTally done = cluster.writes(count::tally).by(cluster.operatorUser()).in(ns);
        System.out.printf("  floor: %s; writes %s; CPU s: writer JVM %.0f, API %.0f; load %s%n", settle, done.describe(),
            cpu.operator(), cpu.api(), Bench.load());
        return new Run(settle, done, done, true, WriteTally.EMPTY, 0, 0, cpu, cluster.apiRssKb(), load0, Bench.load(),
            cluster.describe());
      }
    }
  }

  static StatusWatch.Settle floorWrites(KubernetesClient admin, KubernetesClient client, String namespace, Spec spec)
      throws Exception {
    int n = spec.n();
    int size = spec.latticeSize();
    ExecutorService creators = Executors.newFixedThreadPool(Bench.CREATE_THREADS);
    ExecutorService writers = Executors.newFixedThreadPool(OPERATOR_THREADS);
    try (StatusWatch watch = new StatusWatch(admin, namespace)) {
      OperatorConfig config = OperatorConfig.defaults();
      NodePlanner planner = new NodePlanner(config);
      StatusAggregator aggregator = new StatusAggregator(config.startupDeadline(), config.statusRefresh());
      LatticeJudge judge = new LatticeJudge(config.divergenceGrace());
      FloorSecrets secrets = new FloorSecrets();
      NodeConfigMapDependent configMaps = new NodeConfigMapDependent();
      FloorPeerLists peerLists = new FloorPeerLists();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<LatticeNode> all = Bench.nodes(namespace, "n", 0, n, size, "lattice");
      int lattices = (n + size - 1) / size;
      LatticeNode[] created = new LatticeNode[n];
      AtomicInteger[] missing = new AtomicInteger[lattices];
      for (int l = 0; l < lattices; l++) {
        missing[l] = new AtomicInteger(Math.min(size, n - l * size));
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int index = i;
        creators.submit(() -> {
          created[index] = admin.resource(all.get(index)).create();
          int l = index / size;
          if (missing[l].decrementAndGet() == 0) {
            List<LatticeNode> members = new ArrayList<>();
            for (int k = l * size; k < Math.min(n, (l + 1) * size); k++) {
              members.add(created[k]);
            }
            for (LatticeNode member : members) {
              boolean first = member == members.get(0);
              writers.submit(() -> {
                try {
                  NodePlan plan = planner.plan(member);
                  if (first) {
                    Lattice lattice = new Lattice();
                    lattice.setMetadata(new ObjectMetaBuilder()
                        .withName(plan.lattice()).withNamespace(plan.namespace()).build());
                    lattice = client.resource(lattice).create();
                    LatticePlan shared = new LatticePlan(lattice, members,
                        LatticeSettings.of(lattice, members, config.rolloutDeadline()));
                    client.resource(LatticePeerServiceDependent.build(plan.lattice(), plan.namespace())).create();
                    client.resource(secrets.secret(shared)).create();
                    client.resource(LatticeDisruptionBudgetDependent.build(shared)).create();
                    client.resource(peerLists.peerList(shared)).create();
                  }
                  client.resource(configMaps.build(member, plan)).create();
                  client.resource(StateClaimDependent.build(member, plan)).create();
                  client.resource(DesiredState.stamped(NodeDeploymentDependent.build(member, plan))).create();
                  client.resource(DesiredState.stamped(NodeServiceDependent.build(member, plan))).create();
                  Instant now = Instant.now();
                  LatticeJudgement lattice = judge.judge(members.stream()
                      .map(m -> MemberView.ineligible(m.getMetadata().getName()))
                      .toList(), null, now);
                  LatticeNode withStatus = new LatticeNode(); // members are shared between threads
                  withStatus.setMetadata(member.getMetadata());
                  withStatus.setSpec(member.getSpec());
                  var share = new LatticeDecision.ForMember(lattice.of(member.getMetadata().getName()),
                      false, null, Optional.empty(), List.of(), null, false);
                  withStatus.setStatus(aggregator.status(member,
                      new StatusAggregator.Observed(plan, Optional.empty(), Optional.empty(), Optional.of(share),
                          Optional.of(lattice), null, null, null, false), now));
                  client.resource(withStatus).updateStatus();
                } catch (Throwable e) {
                  failed.compareAndSet(null, e);
                }
              });
            }
          }
          return null;
        });
      }
      StatusWatch.Settle settle = watch.await(n, t0, Bench.SETTLE_TIMEOUT);
      if (failed.get() != null) {
        throw new IllegalStateException("the floor's writes failed", failed.get());
      }
      return settle;
    } finally {
      creators.shutdownNow();
      writers.shutdownNow();
    }
  }

  /** The operator's own secret builder (protected there), with no live secret yet. */
  static final class FloorSecrets extends LatticeSecretDependent {
    Secret secret(LatticePlan plan) {
      return build(plan, Optional.empty());
    }
  }

  /** The operator's own peer-list builder (protected there). */
  static final class FloorPeerLists extends LatticePeerListDependent {
    ConfigMap peerList(LatticePlan plan) {
      return build(plan, Optional.empty());
    }
  }

  /** CPU seconds of this JVM (the floor's writer; on the embedded API also the API). */
  static double cpuHere() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }
}
