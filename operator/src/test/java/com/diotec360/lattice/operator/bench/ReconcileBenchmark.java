package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.embedded.Verb;
import com.diotec360.lattice.embedded.Writes;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.decision.LatticeDecision;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
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
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Reconcile at scale on the strict embedded API: N LatticeNodes in lattices of 4, created at once
 * by 16 client threads, and the seconds until every node has a status for its generation, beside
 * the floor: one plain fabric8 client writing exactly the objects the operator would (built by the
 * operator's own builders from a {@link NodePlanner} plan) at the operator's concurrency (JOSDK's
 * 50 reconcile threads), through the same API with the same RBAC. Also API writes per node, writes
 * while idle, and heap after GC / RSS of the operator's JVM. The operator runs in a JVM of its own
 * ({@link OperatorProcess}, {@code -Xmx384m} as the chart's 512Mi limit with the image's
 * MaxRAMPercentage=75 gives) so its memory is not mixed with the API's store. Both writers first
 * settle {@value #WARM_UP} nodes in another namespace (JIT warm-up; both stores then hold the same
 * extra objects), then the measured N.
 *
 * <p>Not a timed test. Run: {@code ./mvnw -B -o -q -pl operator exec:java
 * -Dexec.classpathScope=test
 * -Dexec.mainClass=com.diotec360.lattice.operator.bench.ReconcileBenchmark -Dexec.args="100 1000"
 * -Dlattice.repoRoot=.} from the repository root (see operator/BENCHMARKS.md). System properties: {@code bench.probeSeconds} (10), {@code bench.unreachableAfter} (3),
 * {@code bench.settleTimeoutSeconds} (900).
 */
public final class ReconcileBenchmark {

  static final String NAMESPACE = "default";
  /**
   * Before each measured run, its writer (operator or floor) first settles this many nodes in
   * another namespace, so neither is measured with a cold JIT, and both stores hold the same
   * warm-up objects.
   */
  static final int WARM_UP = 100;
  static final String WARM_UP_NAMESPACE = "warmup";
  static final int LATTICE_SIZE = 4;
  /** Client threads creating the LatticeNodes, in both runs. */
  static final int CREATE_THREADS = 16;
  /** JOSDK 5.2.3's default reconcile threads (ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER). */
  static final int OPERATOR_THREADS = 50;

  static final long PROBE_SECONDS = Long.getLong("bench.probeSeconds", 10);
  static final int UNREACHABLE_AFTER = Integer.getInteger("bench.unreachableAfter", 3);
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(Long.getLong("bench.settleTimeoutSeconds", 900));

  /** Held strongly: JUL forgets the level of an unreferenced logger. */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  record Settle(boolean done, double seconds, int withStatus, String limit) {}

  /** CPU seconds spent until every node had its status: by this JVM (API + client), by the operator's. */
  record Cpu(double here, double operator) {}

  record Run(Settle settle, Writes atSettle, Writes atQuiet, boolean quiet, Writes idle, long heapBytes, long rssKb, Cpu cpu) {}

  public static void main(String[] args) throws Exception {
    MOCK_LOG.setLevel(Level.WARNING);
    int[] sizes =
        args.length == 0 ? new int[] {100, 1000, 5000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    List<String> rows = new ArrayList<>();
    for (int n : sizes) {
      System.out.printf("== N = %d (load %s)%n", n, load());
      Run floor = floor(n);
      System.out.printf("floor: %s; load %s%n", floor, load());
      Run op = operator(n);
      System.out.printf("operator: %s; load %s%n", op, load());
      rows.add(row(n, op, floor));
      System.out.println(rows.get(rows.size() - 1));
    }
    System.out.printf("%nprobe interval %d s, unreachable after %d probes; load at end %s%n",
        PROBE_SECONDS, UNREACHABLE_AFTER, load());
    System.out.println("| N | operator: s to every status | floor: s | ratio | operator writes/node (at status; settled; refused 409s) | floor writes/node | idle writes, 3 probe intervals | operator heap after GC | operator RSS | CPU s until every status: operator JVM + API JVM; floor (API + writer) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.exit(0);
  }

  static String row(int n, Run op, Run floor) {
    String opSeconds = op.settle().done()
        ? String.format("%.1f", op.settle().seconds())
        : String.format("not settled in %.0f s: %d/%d with status (%s)", op.settle().seconds(), op.settle().withStatus(), n, op.settle().limit());
    String floorSeconds = floor.settle().done()
        ? String.format("%.1f", floor.settle().seconds())
        : String.format("not done in %.0f s: %d/%d (%s)", floor.settle().seconds(), floor.settle().withStatus(), n, floor.settle().limit());
    String ratio = op.settle().done() && floor.settle().done()
        ? String.format("%.2f×", op.settle().seconds() / floor.settle().seconds()) : "–";
    String idle = !op.settle().done() ? "–"
        : op.quiet() ? Long.toString(op.idle().total()) : "not quiet: " + op.idle().total() + " " + op.idle();
    String opWrites = op.settle().done()
        ? String.format("%.2f; %.2f (+%.2f refused)", byOperator(op.atSettle()) / (double) n,
            byOperator(op.atQuiet()) / (double) n, op.atQuiet().refused() / (double) n)
        : String.format("partial: %d writes (+%d refused) by then", byOperator(op.atSettle()), op.atSettle().refused());
    String floorWrites = floor.settle().done()
        ? String.format("%.2f", byOperator(floor.atQuiet()) / (double) n)
        : String.format("partial: %d writes by then", byOperator(floor.atQuiet()));
    String cpu = String.format("%.0f + %.0f; %.0f", op.cpu().operator(), op.cpu().here(), floor.cpu().here());
    return String.format("| %d | %s | %s | %s | %s | %s | %s | %d MiB | %d MiB | %s |",
        n, opSeconds, floorSeconds, ratio, opWrites, floorWrites, idle,
        op.heapBytes() >> 20, op.rssKb() >> 10, cpu);
  }

  /** Writes not made by the user: everything but the LatticeNode creates. */
  static long byOperator(Writes w) {
    return w.total() - w.of("LatticeNode", Verb.CREATE);
  }

  // ---------------------------------------------------------------- the operator

  static Run operator(int n) throws Exception {
    EmbeddedApiServer api = OperatorHarness.startApi();
    ExecutorService creators = Executors.newFixedThreadPool(CREATE_THREADS);
    // The operator's own log (its WARNs and INFOs), out of the table's way.
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "lattice-bench-operator-" + n + ".log");
    OperatorChild child = null;
    try {
      OperatorChartRbac.Grants grants = OperatorChartRbac.grants(false);
      KubernetesClient bound = api.clientAs(grants.user(), grants.clusterRoles(), grants.roles());
      String token = bound.getConfiguration().getOauthToken();
      child = OperatorChild.start(api.url(), token, log);
      long w0 = System.nanoTime();
      for (LatticeNode node : nodes(WARM_UP, WARM_UP_NAMESPACE)) {
        creators.submit(() -> api.client().resource(node).create());
      }
      System.out.printf("  operator warm-up: %s%n", awaitStatus(api, WARM_UP, w0, WARM_UP_NAMESPACE));
      awaitQuiet(api);
      api.resetWrites();

      System.out.printf("  operator JOSDK counters after the warm-up: %s%n", child.stats());
      double cpuHere0 = cpuHere();
      double cpuOperator0 = child.cpu();
      long t0 = System.nanoTime();
      for (LatticeNode node : nodes(n, NAMESPACE)) {
        creators.submit(() -> api.client().resource(node).create());
      }
      Settle settle = awaitStatus(api, n, t0, NAMESPACE);
      Cpu cpu = new Cpu(cpuHere() - cpuHere0, child.cpu() - cpuOperator0);
      System.out.printf("  operator JOSDK counters at status: %s%n", child.stats());
      Writes atSettle = api.writes();
      System.out.printf("  operator: %s at status; load %s%n", settle, load());
      if (!settle.done()) {
        // Not settled: no idle window to speak of; memory as it stands at the timeout.
        long[] mem = child.mem();
        return new Run(settle, atSettle, atSettle, false, atSettle.since(atSettle), mem[0], mem[1], cpu);
      }
      boolean quiet = awaitQuiet(api);
      Writes atQuiet = api.writes();
      Writes before = api.writes();
      Thread.sleep(Duration.ofSeconds(3 * PROBE_SECONDS).toMillis()); // the idle window itself
      Writes idle = api.writes().since(before);
      long[] mem = child.mem();
      System.out.printf("  operator writes at status %s%n  settled %s%n", atSettle, atQuiet);
      return new Run(settle, atSettle, atQuiet, quiet, idle, mem[0], mem[1], cpu);
    } finally {
      if (child != null) {
        child.stop();
      }
      creators.shutdownNow();
      api.close();
    }
  }

  /** The LatticeNodes of the run, as a user would create them. */
  static List<LatticeNode> nodes(int n, String namespace) {
    List<LatticeNode> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(Nodes.toCreate("n" + i, namespace, "lattice" + (i / LATTICE_SIZE)));
    }
    return nodes;
  }

  /**
   * Polls (bounded) until every LatticeNode has a status for its generation with its 4
   * conditions. The write count gates the list so the poll costs the API almost nothing.
   */
  static Settle awaitStatus(EmbeddedApiServer api, int n, long t0, String namespace) throws InterruptedException {
    long deadline = t0 + SETTLE_TIMEOUT.toNanos();
    int withStatus = 0;
    long lastList = 0;
    while (System.nanoTime() < deadline) {
      Writes w = api.writes();
      long statusWrites = w.of("LatticeNode", Verb.UPDATE_STATUS) + w.of("LatticeNode", Verb.PATCH_STATUS);
      boolean gate = statusWrites >= n;
      // Without the gate, list now and then only to report progress on a timeout.
      if (gate || System.nanoTime() - lastList > Duration.ofSeconds(30).toNanos()) {
        long at = System.nanoTime();
        withStatus = withStatus(api, namespace);
        lastList = System.nanoTime();
        if (withStatus == n) {
          return new Settle(true, (at - t0) / 1e9, n, "");
        }
        if (gate) {
          Thread.sleep(400);
        }
      }
      Thread.sleep(100);
    }
    withStatus = withStatus(api, namespace);
    System.out.printf("  timeout: %d/%d with status; writes then %s%n", withStatus, n, api.writes());
    return new Settle(withStatus == n, (System.nanoTime() - t0) / 1e9, withStatus,
        "bench.settleTimeoutSeconds=" + SETTLE_TIMEOUT.toSeconds());
  }

  static int withStatus(EmbeddedApiServer api, String namespace) {
    List<LatticeNode> all = api.client().resources(LatticeNode.class).inNamespace(namespace).list().getItems();
    return (int) all.stream()
        .filter(node -> node.getStatus() != null
            && Objects.equals(node.getStatus().getObservedGeneration(), node.getMetadata().getGeneration())
            && node.getStatus().getConditions() != null
            && node.getStatus().getConditions().size() == StatusAggregator.CONDITIONS.size())
        .count();
  }

  /** The write count stopped moving for two probe intervals (bounded, 5 minutes). */
  static boolean awaitQuiet(EmbeddedApiServer api) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = api.writes().total();
      if (now == last) {
        return true;
      }
      last = now;
      Thread.sleep(Duration.ofSeconds(2 * PROBE_SECONDS).toMillis());
    }
    return false;
  }

  // ---------------------------------------------------------------- the floor

  /**
   * One plain client (the operator's RBAC) writes what the operator writes, once each: per node
   * its 2 ConfigMaps, state claim, Deployment, Service and status (PUT /status); per lattice its
   * peer Service and secret. A lattice's writes start as soon as its 4 members exist.
   */
  static Run floor(int n) throws Exception {
    EmbeddedApiServer api = OperatorHarness.startApi();
    try {
      OperatorChartRbac.Grants grants = OperatorChartRbac.grants(false);
      KubernetesClient client = api.clientAs(grants.user(), grants.clusterRoles(), grants.roles());
      System.out.printf("  floor warm-up: %s%n", floorWrites(api, client, WARM_UP, WARM_UP_NAMESPACE));
      api.resetWrites();
      double cpu0 = cpuHere();
      Settle settle = floorWrites(api, client, n, NAMESPACE);
      Cpu cpu = new Cpu(cpuHere() - cpu0, 0);
      Writes done = api.writes();
      System.out.printf("  floor writes %s%n", done);
      return new Run(settle, done, done, true, api.writes().since(done), 0, 0, cpu);
    } finally {
      api.close();
    }
  }

  static Settle floorWrites(EmbeddedApiServer api, KubernetesClient client, int n, String namespace) throws Exception {
    ExecutorService creators = Executors.newFixedThreadPool(CREATE_THREADS);
    ExecutorService writers = Executors.newFixedThreadPool(OPERATOR_THREADS);
    try {
      OperatorConfig config = OperatorConfig.defaults();
      NodePlanner planner = new NodePlanner(config);
      StatusAggregator aggregator = new StatusAggregator(config.startupDeadline(), config.statusRefresh());
      LatticeJudge judge = new LatticeJudge(config.divergenceGrace());
      FloorSecrets secrets = new FloorSecrets();
      NodeConfigMapDependent configMaps = new NodeConfigMapDependent();
      FloorPeerLists peerLists = new FloorPeerLists();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<LatticeNode> all = nodes(n, namespace);
      int lattices = (n + LATTICE_SIZE - 1) / LATTICE_SIZE;
      LatticeNode[] created = new LatticeNode[n];
      AtomicInteger[] missing = new AtomicInteger[lattices];
      for (int l = 0; l < lattices; l++) {
        missing[l] = new AtomicInteger(Math.min(LATTICE_SIZE, n - l * LATTICE_SIZE));
      }

      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int index = i;
        creators.submit(() -> {
          created[index] = api.client().resource(all.get(index)).create();
          int l = index / LATTICE_SIZE;
          if (missing[l].decrementAndGet() == 0) {
            List<LatticeNode> members = new ArrayList<>();
            for (int k = l * LATTICE_SIZE; k < Math.min(n, (l + 1) * LATTICE_SIZE); k++) {
              members.add(created[k]);
            }
            for (LatticeNode member : members) {
              boolean first = member == members.get(0);
              writers.submit(() -> {
                try {
                  NodePlan plan = planner.plan(member);
                  if (first) {
                    Lattice lattice = new Lattice();
                    lattice.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
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
                      .map(m -> com.diotec360.lattice.operator.judge.MemberView.ineligible(m.getMetadata().getName()))
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
      Settle settle = awaitStatus(api, n, t0, namespace);
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
    io.fabric8.kubernetes.api.model.ConfigMap peerList(LatticePlan plan) {
      return build(plan, Optional.empty());
    }
  }

  // ---------------------------------------------------------------- the operator's JVM

  /** The {@link OperatorProcess} child: its stdout is read for READY and MEM lines. */
  static final class OperatorChild {
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private OperatorChild(Process process, Writer log) {
      this.process = process;
      this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            if (line.equals("READY") || line.startsWith("MEM ") || line.startsWith("STATS")) {
              replies.add(line);
            }
            synchronized (log) {
              log.write(line + "\n");
              log.flush();
            }
          }
        } catch (IOException ignored) {
          // the child ended
        }
      }, "operator-child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static OperatorChild start(String url, String token, Path log) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = List.of(java, "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
          "-cp", classpath(), OperatorProcess.class.getName(), url, token,
          Long.toString(PROBE_SECONDS), Integer.toString(UNREACHABLE_AFTER));
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .start();
      OperatorChild child = new OperatorChild(p, Files.newBufferedWriter(log, StandardCharsets.UTF_8));
      String ready = child.replies.poll(120, TimeUnit.SECONDS);
      if (!"READY".equals(ready)) {
        p.destroyForcibly();
        throw new IllegalStateException("the operator did not start in 120 s; see " + log);
      }
      return child;
    }

    /** JOSDK's reconcile counters in the operator's JVM, as one line. */
    String stats() throws InterruptedException {
      commands.println("stats");
      String reply = replies.poll(30, TimeUnit.SECONDS);
      return reply == null ? "no answer" : reply;
    }

    /** CPU seconds (user + system) of the operator's JVM so far, from /proc/PID/stat. */
    double cpu() {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime; CLK_TCK 100
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }

    /** Heap bytes after GC and VmRSS kB of the operator's JVM. */
    long[] mem() throws InterruptedException {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator's JVM exited with " + process.exitValue());
      }
      commands.println("mem");
      String reply = replies.poll(60, TimeUnit.SECONDS);
      if (reply == null) {
        return new long[] {-1, -1};
      }
      String[] parts = reply.split(" ");
      return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }

    void stop() throws InterruptedException {
      commands.println("stop");
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly(); // only our own child, by its handle
      }
    }
  }

  /** The test classpath: exec:java's class loader, else this JVM's class path. */
  static String classpath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      return Arrays.stream(urls.getURLs())
          .map(ReconcileBenchmark::file)
          .collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String file(URL url) {
    try {
      return Path.of(url.toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(url.toString(), e);
    }
  }

  /** CPU seconds of this JVM: the embedded API, the user's creates and (floor) the writer. */
  static double cpuHere() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
