package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Operator writes per minute while the nodes take data (issue 20 item 3): one lattice of S members
 * answered by {@link LatticeStub} (the operator's resolver points at it), every Deployment made
 * available (its status written as kube-controller-manager would, by the benchmark; not on a
 * user's cluster, where the controllers own it), first with roots standing still until the writes
 * stop, then {@code bench.staticSeconds} (60) more of that, then {@code bench.trafficSeconds} (120)
 * with the roots moving once per probe cycle while all members agree. Writes by the operator per
 * minute, by kind and verb, per member; the verdicts at the end; CPU of the operator.
 *
 * <p>Arguments: lattice sizes (default 3 and 100). Not a timed test; see operator/BENCHMARKS.md.
 */
public final class TrafficBenchmark {

  static final Duration STATIC = Duration.ofSeconds(Long.getLong("bench.staticSeconds", 60));
  static final Duration TRAFFIC = Duration.ofSeconds(Long.getLong("bench.trafficSeconds", 120));

  record Result(int size, WriteTally still, WriteTally moving, double minutes, long rootChanges,
      Map<String, Long> verdicts, double operatorCpu, long reconciles, String load0, String load1) {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args.length == 0 ? new String[] {"3", "100"} : args) {
      sizes.add(Integer.parseInt(a));
    }
    List<Result> results = new ArrayList<>();
    String where = null;
    for (int size : sizes) {
      System.out.printf("== lattice of %d (load %s)%n", size, Bench.load());
      try (BenchCluster cluster = BenchCluster.open(); LatticeStub stub = new LatticeStub()) {
        where = cluster.describe();
        results.add(run(cluster, stub, size));
      }
    }
    System.out.printf("%n%s; %s; probe interval %d s; roots still %d s, then moving %d s%n", where, Bench.machine(),
        Bench.PROBE_SECONDS, STATIC.toSeconds(), TRAFFIC.toSeconds());
    System.out.println("| members | root changes served by the stub (per minute) | operator writes/min, roots still | operator writes/min, roots moving | per member per min | by kind and verb, per minute | verdicts at the end | operator CPU s/min, moving | reconciles/min, moving | load start → end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      double still = (r.still().accepted() + r.still().refused()) / (STATIC.toSeconds() / 60.0);
      double moving = r.moving().accepted() / r.minutes();
      System.out.printf(Locale.ROOT, "| %d | %d (%.1f) | %.1f | %.1f%s | %.2f | %s | %s | %.1f | %.0f | %s → %s |%n",
          r.size(), r.rootChanges(), r.rootChanges() / r.minutes(), still, moving,
          r.moving().refused() == 0 ? "" : " (+" + r.moving().refused() + " refused)", moving / r.size(),
          r.moving().describePer(r.minutes()), r.verdicts(), r.operatorCpu() / r.minutes(), r.reconciles() / r.minutes(),
          r.load0(), r.load1());
    }
    System.exit(0);
  }

  static Result run(BenchCluster cluster, LatticeStub stub, int size) throws Exception {
    String load0 = Bench.load();
    String ns = cluster.namespace("traffic");
    KubernetesClient admin = cluster.admin();
    List<LatticeNode> nodes = Bench.nodes(ns, "t", 0, size, size, "traffic");
    stub.lattice(nodes.stream().map(n -> n.getMetadata().getName()).toList());
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "lattice-bench-traffic-" + size + ".log");
    Duration window = Duration.ofSeconds(2 * Bench.PROBE_SECONDS);
    try (OperatorChild child = OperatorChild.start(cluster.operatorKubeconfig(false), Bench.PROBE_SECONDS,
            Bench.UNREACHABLE_AFTER, stub.template(), List.of(), log);
        StatusWatch watch = new StatusWatch(admin, ns)) {
      Supplier<WriteTally> writes = () -> cluster.writes(child::writes).by(cluster.operatorUser());
      long t0 = System.nanoTime();
      Bench.create(admin, nodes);
      System.out.printf("  %s%n", watch.await(size, t0, Bench.SETTLE_TIMEOUT));
      if (!(cluster instanceof BenchCluster.UserCluster) && !Boolean.getBoolean("bench.controllers")) {
        makeAvailable(admin, ns, size);
      }
      boolean quiet = Bench.awaitQuiet(writes, child, window, Bench.QUIET_TIMEOUT);
      System.out.printf("  set up and %s: %s%n", quiet ? "quiet" : "NOT quiet", writes.get().in(ns).describe());

      WriteTally before = writes.get();
      Thread.sleep(STATIC.toMillis()); // roots standing still
      WriteTally still = writes.get().since(before);
      System.out.printf("  roots still, %d s: %s%n", STATIC.toSeconds(), still.describe());

      stub.moving(true);
      long changes0 = stub.rootChanges();
      double cpu0 = child.cpu();
      long reconciles0 = child.reconcilesStarted();
      before = writes.get();
      long m0 = System.nanoTime();
      Thread.sleep(TRAFFIC.toMillis()); // roots moving
      WriteTally moving = writes.get().since(before);
      double minutes = (System.nanoTime() - m0) / 60e9;
      long changes = stub.rootChanges() - changes0;
      double cpu = child.cpu() - cpu0;
      long reconciles = child.reconcilesStarted() - reconciles0;
      stub.moving(false);
      Map<String, Long> verdicts = new TreeMap<>(admin.resources(LatticeNode.class).inNamespace(ns).list().getItems().stream()
          .collect(Collectors.groupingBy(n -> n.getStatus() == null ? "none"
              : n.getStatus().getPhase() + "/" + n.getStatus().getConsistency(), Collectors.counting())));
      System.out.printf("  roots moving, %.1f min, %d root changes: %s; verdicts %s%n", minutes, changes, moving.describe(), verdicts);
      return new Result(size, still, moving, minutes, changes, verdicts, cpu, reconciles, load0, Bench.load());
    }
  }

  /** Writes every node's Deployment status as available, as kube-controller-manager would once the pod runs. */
  static void makeAvailable(KubernetesClient admin, String ns, int size) throws Exception {
    long deadline = System.nanoTime() + Bench.SETTLE_TIMEOUT.toNanos();
    List<Deployment> deployments;
    while ((deployments = admin.apps().deployments().inNamespace(ns).list().getItems()).size() < size
        && System.nanoTime() < deadline) {
      Thread.sleep(500); // polling until the operator created them all
    }
    String now = Instant.now().toString();
    for (Deployment d : deployments) {
      d.setStatus(new DeploymentStatusBuilder()
          .withObservedGeneration(d.getMetadata().getGeneration())
          .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
          .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
              .withReason("MinimumReplicasAvailable").withLastTransitionTime(now).withLastUpdateTime(now).build())
          .build());
      admin.resource(d).updateStatus();
    }
  }
}
