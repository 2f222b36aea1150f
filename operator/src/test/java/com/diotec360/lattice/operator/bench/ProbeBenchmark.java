package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.judge.MemberJudgement;
import com.diotec360.lattice.operator.judge.MemberView;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.metrics.LatticeMetrics;
import com.diotec360.lattice.operator.observe.HttpNodeClient;
import com.diotec360.lattice.operator.observe.NodeProber;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeTarget;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Prints markdown tables: the prober's cycle over N stub nodes (default 100, 1000, 5000; or the
 * N given as arguments) beside its floor, a raw OkHttp loop over the same endpoints at the same
 * concurrency with the same connection pool (interleaved in the same run), heap with the prober's
 * cache and metrics at N = 1000, and detection latency of a sync-mode change, a divergence and a
 * split (dual-node lattice, two roots, Split after the grace period) over repeated trials. Not a timed test; run it
 * with
 * {@code ./mvnw -B -pl operator -q exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.diotec360.lattice.operator.bench.ProbeBenchmark}.
 */
public final class ProbeBenchmark {

  static final int CONCURRENCY = 32;
  static final int SERVERS = 16;

  public static void main(String[] args) throws Exception {
    // The JDK HttpServer leaves Nagle on; with keep-alive that adds ~40 ms per response.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    boolean detectionOnly = args.length > 0 && args[0].equals("detection-only");
    int[] sizes = detectionOnly ? new int[0]
        : args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {100, 1000, 5000};
    List<String> rows = new ArrayList<>();
    for (int n : sizes) {
      try (StubNodes stubs = new StubNodes(n, SERVERS)) {
        List<NodeTarget> targets = targets(stubs, n);
        // As LatticeOperator builds it: idle pool of max(16, 2 × concurrency).
        HttpNodeClient client = new HttpNodeClient(TIMEOUT, IDLE);
        NodeProber prober = new NodeProber(client, Duration.ofHours(1), 3, CONCURRENCY,
            Clock.systemUTC(), new LatticeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        RawLoop raw = new RawLoop();
        prober.probeCycle(targets); // warm-up: connections, JIT
        raw.cycle(stubs, n);
        prober.probeCycle(targets);
        raw.cycle(stubs, n);
        long[] cycles = new long[5];
        long[] loops = new long[5];
        for (int i = 0; i < cycles.length; i++) { // interleaved, so a load change hits both alike
          long t0 = System.nanoTime();
          prober.probeCycle(targets);
          cycles[i] = System.nanoTime() - t0;
          long t1 = System.nanoTime();
          raw.cycle(stubs, n);
          loops[i] = System.nanoTime() - t1;
        }
        long p = median(cycles) / 1_000_000;
        long r = median(loops) / 1_000_000;
        rows.add(String.format("| %d | %d ms | %d ms | %.2f× | %s |", n, p, r, (double) median(cycles) / median(loops), load()));
        System.out.println(rows.get(rows.size() - 1));
        if (n == 1000) {
          System.gc();
          Thread.sleep(200); // let the collector settle before reading heap (benchmark, not a test)
          var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
          System.out.printf("Heap used after GC with %d nodes probed, cached and exported as metrics: %d MiB (JVM total, includes the stub servers)%n",
              n, heap.getUsed() / (1024 * 1024));
        }
        prober.close();
        client.close();
        raw.close();
      }
    }
    if (!rows.isEmpty()) {
      System.out.printf("%n| N | prober cycle, %d threads (median of 5) | raw OkHttp, same %d threads, same pool (median of 5) | ratio | load (1/5/15 min) |%n",
          CONCURRENCY, CONCURRENCY);
      System.out.println("|---|---|---|---|---|");
      rows.forEach(System.out::println);
    }
    detection();
    split();
  }

  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final int IDLE = Math.max(16, CONCURRENCY * 2);

  /**
   * The floor of a probe cycle: the same three GETs per node, on the same number of threads (a
   * fixed pool of {@link #CONCURRENCY}, one task per node, synchronous calls, as the prober), with
   * an OkHttp client set up as {@link HttpNodeClient}'s (same connection pool, timeouts, no
   * retries), reading each body to the end but parsing nothing and keeping nothing.
   */
  static final class RawLoop implements AutoCloseable {
    private final OkHttpClient http = new OkHttpClient.Builder()
        .connectTimeout(TIMEOUT)
        .readTimeout(TIMEOUT)
        .writeTimeout(TIMEOUT)
        .callTimeout(TIMEOUT.multipliedBy(2))
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .connectionPool(new okhttp3.ConnectionPool(IDLE, 2, TimeUnit.MINUTES))
        .build();
    private final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(CONCURRENCY, r -> {
          Thread t = new Thread(r, "raw-probe");
          t.setDaemon(true);
          return t;
        });

    void cycle(StubNodes stubs, int n) throws Exception {
      List<java.util.concurrent.Future<?>> running = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String base = stubs.url(i);
        running.add(pool.submit(() -> {
          for (String path : new String[] {"/health", "/api/lattice/state", "/api/lattice/p2p/status"}) {
            try (Response r = http.newCall(new Request.Builder().url(base + path).build()).execute()) {
              r.body().bytes();
            }
          }
          return null;
        }));
      }
      for (var f : running) {
        f.get();
      }
    }

    @Override
    public void close() {
      pool.shutdown();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  static String load() {
    try {
      String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  /** Divergence (root flipped on one of 3 nodes, grace 2 s) and mode change, probe interval 1 s. */
  static void detection() throws Exception {
    Duration interval = Duration.ofSeconds(1);
    Duration grace = Duration.ofSeconds(2);
    int trials = 10;
    List<Long> modeLatency = new ArrayList<>();
    List<Long> divergenceLatency = new ArrayList<>();
    try (StubNodes stubs = new StubNodes(3, 1)) {
      List<NodeTarget> targets = targets(stubs, 3);
      HttpNodeClient client = new HttpNodeClient(Duration.ofSeconds(2), 16);
      LatticeJudge judge = new LatticeJudge(grace);
      Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
      NodeProber prober = new NodeProber(client, interval, 3, 4, Clock.systemUTC(),
          com.diotec360.lattice.operator.observe.ProbeListener.NONE);
      prober.start(() -> targets, t -> {
        CountDownLatch l = waiting.get(t.name());
        if (l != null) {
          l.countDown();
        }
      });
      for (int i = 0; i < 200 && targets.stream().anyMatch(t -> prober.latest(t.id()).isEmpty()); i++) {
        Thread.sleep(50); // harness: wait for the first cycle (bounded, 10 s)
      }
      for (int trial = 0; trial < trials; trial++) {
        // Mode change: flip node 0's sync mode; the change callback is where reconcile is woken.
        CountDownLatch seen = new CountDownLatch(1);
        waiting.put("n0", seen);
        long t0 = System.nanoTime();
        stubs.setMode(0, trial % 2 == 0 ? "HTTP" : "P2P");
        seen.await(10, TimeUnit.SECONDS);
        modeLatency.add((System.nanoTime() - t0) / 1_000_000);
        waiting.remove("n0");

        // Divergence: node 2 gets another root; judge on each report change and at grace expiry,
        // as the reconciler does (reschedule at the end of the grace period).
        long d0 = System.nanoTime();
        Instant start = Instant.now();
        // A root no other member holds ("%064x" of the trial never equals the reference "a…a").
        stubs.setRoot(2, String.format("%064x", trial + 1));
        MemberJudgement memory = null;
        while (true) {
          List<MemberView> views = new ArrayList<>();
          for (NodeTarget t : targets) {
            NodeReport r = prober.latest(t.id()).orElseThrow();
            MemberView v = MemberView.eligible(t.name(), r.observation().merkleRoot(), r.observation().version());
            if (t.name().equals("n2") && memory != null) {
              v = v.remembering(memory.mismatchSince(), memory.divergedSince());
            }
            views.add(v);
          }
          memory = judge.judge(views, null, Instant.now()).of("n2");
          if (memory.verdict() == Verdict.DIVERGED) {
            break;
          }
          long wait = memory.recheckAfter(Instant.now()).map(Duration::toMillis).orElse(50L);
          Thread.sleep(Math.max(10, Math.min(wait, 50))); // polling loop of the benchmark harness
          if (Duration.between(start, Instant.now()).toSeconds() > 20) {
            throw new IllegalStateException("divergence not detected");
          }
        }
        divergenceLatency.add((System.nanoTime() - d0) / 1_000_000);
        stubs.setRoot(2, "a".repeat(64));
        CountDownLatch back = new CountDownLatch(1);
        waiting.put("n2", back);
        back.await(10, TimeUnit.SECONDS);
        waiting.remove("n2");
      }
      prober.close();
      client.close();
    }
    System.out.printf("%n| detection (%d trials, probe interval %d s, grace %d s) | min | median | max |%n",
        trials, interval.toSeconds(), grace.toSeconds());
    System.out.println("|---|---|---|---|");
    System.out.printf("| sync-mode change → change callback | %d ms | %d ms | %d ms |%n",
        min(modeLatency), median(modeLatency), max(modeLatency));
    System.out.printf("| root divergence → Diverged verdict | %d ms | %d ms | %d ms |%n",
        min(divergenceLatency), median(divergenceLatency), max(divergenceLatency));
  }

  /**
   * Split: a dual-node lattice whose second node takes another root. Neither root has a strict
   * majority of the 2 members: NoQuorum while the grace period (2 s) runs, Split after it. Probe
   * interval 1 s; the latency is from the flip to the first judgement over the prober's cached
   * reports that says Split, judged on every report change and when the grace period ends, with the
   * memory (mismatchSince) carried from one judgement to the next, as the reconciler does.
   */
  static void split() throws Exception {
    Duration interval = Duration.ofSeconds(1);
    int trials = 10;
    List<Long> latency = new ArrayList<>();
    try (StubNodes stubs = new StubNodes(2, 1)) {
      List<NodeTarget> targets = targets(stubs, 2);
      HttpNodeClient client = new HttpNodeClient(Duration.ofSeconds(2), 16);
      LatticeJudge judge = new LatticeJudge(Duration.ofSeconds(2));
      java.util.concurrent.BlockingQueue<String> changes = new java.util.concurrent.LinkedBlockingQueue<>();
      NodeProber prober = new NodeProber(client, interval, 3, 4, Clock.systemUTC(),
          com.diotec360.lattice.operator.observe.ProbeListener.NONE);
      prober.start(() -> targets, t -> changes.add(t.name()));
      for (int i = 0; i < 200 && targets.stream().anyMatch(t -> prober.latest(t.id()).isEmpty()); i++) {
        Thread.sleep(50); // harness: wait for the first cycle (bounded, 10 s)
      }
      for (int trial = 0; trial < trials; trial++) {
        changes.clear();
        long t0 = System.nanoTime();
        stubs.setRoot(1, String.format("%064x", trial + 1));
        Verdict seen = null;
        java.util.Map<String, com.diotec360.lattice.operator.judge.MemberJudgement> memory = new java.util.HashMap<>();
        long wait = 20_000;
        while (seen != Verdict.SPLIT) {
          if (changes.poll(wait, TimeUnit.MILLISECONDS) == null && wait >= 20_000) {
            throw new IllegalStateException("split not detected");
          }
          List<MemberView> views = new ArrayList<>();
          for (NodeTarget t : targets) {
            NodeReport r = prober.latest(t.id()).orElseThrow();
            MemberView v = MemberView.eligible(t.name(), r.observation().merkleRoot(), r.observation().version());
            var m = memory.get(t.name());
            views.add(m == null ? v : v.remembering(m.mismatchSince(), m.divergedSince()));
          }
          Instant now = Instant.now();
          var judged = judge.judge(views, null, now);
          targets.forEach(t -> memory.put(t.name(), judged.of(t.name())));
          seen = judged.of("n0").verdict();
          // Woken again at the end of the grace period, as the reconciler reschedules itself.
          wait = judged.of("n0").recheckAfter(now).map(d -> d.toMillis() + 1).orElse(20_000L);
        }
        latency.add((System.nanoTime() - t0) / 1_000_000);
        stubs.setRoot(1, "a".repeat(64));
        for (int i = 0; i < 200 && !prober.latest(targets.get(1).id()).orElseThrow()
            .observation().merkleRoot().equals("a".repeat(64)); i++) {
          Thread.sleep(50); // harness: wait until the healed root is seen (bounded, 10 s)
        }
      }
      prober.close();
      client.close();
    }
    System.out.printf("| split: dual-node lattice, 2 roots → Split (%d trials, probe interval %d s, grace 2 s) | %d ms | %d ms | %d ms |%n",
        trials, interval.toSeconds(), min(latency), median(latency), max(latency));
  }

  static List<NodeTarget> targets(StubNodes stubs, int n) {
    List<NodeTarget> targets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      targets.add(new NodeTarget(new ResourceID("n" + i, "bench"), "bench", stubs.url(i)));
    }
    return targets;
  }

  static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static long median(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  static long min(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
