package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What one member joining costs (issue 20 item 2): a lattice of S members (default 10, 100, 1000)
 * settles on a fresh server, then member S+1 is created; until the operator's writes stop: its
 * writes by kind and verb (and refused ones), the seconds until the new member has its status and
 * until the last write, and bytes: every object of the namespace is read back before and after
 * (as JSON, as the API serves it, managedFields included: what etcd keeps), giving the bytes
 * stored, the bytes of the objects the join rewrote or created, and the ConfigMaps' data bytes.
 *
 * <p>Arguments: lattice sizes. Not a timed test; see operator/BENCHMARKS.md.
 */
public final class JoinBenchmark {

  /** What the namespace holds, per object (kind/name → resourceVersion and JSON size). */
  record Snapshot(Map<String, String> versions, Map<String, Long> sizes, long configMapData) {
    long total() {
      return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  record Result(int size, StatusWatch.Settle setup, WriteTally setupWrites, StatusWatch.Settle joined, double lastWrite,
      WriteTally writes, Snapshot before, Snapshot after, Map<String, long[]> rewritten, int peerListsWithNewMember,
      String load0, String load1) {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args.length == 0 ? new String[] {"10", "100", "1000"} : args) {
      sizes.add(Integer.parseInt(a));
    }
    List<Result> results = new ArrayList<>();
    String where = null;
    for (int size : sizes) {
      System.out.printf("== lattice of %d, one joins (load %s)%n", size, Bench.load());
      try (BenchCluster cluster = BenchCluster.open()) {
        where = cluster.describe();
        results.add(run(cluster, size));
      }
    }
    System.out.printf("%n%s; %s; probe interval %d s%n", where, Bench.machine(), Bench.PROBE_SECONDS);
    System.out.println("| members before | setting up: s until every status; operator writes | join: s until the new member has its status; until the last write | operator writes for the join | by kind and verb | refused | objects rewritten or created (bytes) | bytes stored before → after | ConfigMap data bytes before → after | old members' peer lists naming the new member | load start → end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      long rewrittenBytes = r.rewritten().values().stream().mapToLong(v -> v[1]).sum();
      long rewrittenCount = r.rewritten().values().stream().mapToLong(v -> v[0]).sum();
      String rewritten = rewrittenCount + " (" + human(rewrittenBytes) + "): " + String.join(", ",
          r.rewritten().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + " (" + human(e.getValue()[1]) + ")").toList());
      System.out.printf(Locale.ROOT, "| %d | %s; %d | %s; %.1f | %d | %s | %s | %s | %s → %s | %s → %s | %d/%d | %s → %s |%n",
          r.size(), r.setup().done() ? String.format(Locale.ROOT, "%.1f", r.setup().seconds()) : "not settled: " + r.setup().withStatus(),
          r.setupWrites().accepted(),
          r.joined().done() ? String.format(Locale.ROOT, "%.1f", r.joined().seconds()) : "no status",
          r.lastWrite(), r.writes().accepted(), String.join(", ", r.writes().acceptedByKindVerb().entrySet().stream()
              .map(e -> e.getKey() + " " + e.getValue()).toList()),
          r.writes().refused() == 0 ? "0" : r.writes().refusedByKindVerbCode().toString(), rewritten,
          human(r.before().total()), human(r.after().total()), human(r.before().configMapData()), human(r.after().configMapData()),
          r.peerListsWithNewMember(), r.size(), r.load0(), r.load1());
    }
    System.exit(0);
  }

  static Result run(BenchCluster cluster, int size) throws Exception {
    String load0 = Bench.load();
    String ns = cluster.namespace("join");
    KubernetesClient admin = cluster.admin();
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "lattice-bench-join-" + size + ".log");
    Duration window = Duration.ofSeconds(2 * Bench.PROBE_SECONDS);
    try (OperatorChild child = OperatorChild.start(cluster.operatorKubeconfig(false), Bench.PROBE_SECONDS,
            Bench.UNREACHABLE_AFTER, OperatorChild.CLOSED, List.of(), log);
        StatusWatch watch = new StatusWatch(admin, ns)) {
      Supplier<WriteTally> writes = () -> cluster.writes(child::writes).by(cluster.operatorUser()).in(ns);
      long t0 = System.nanoTime();
      Bench.create(admin, Bench.nodes(ns, "m", 0, size, Integer.MAX_VALUE, "join"));
      StatusWatch.Settle setup = watch.await(size, t0, Bench.SETTLE_TIMEOUT);
      boolean quiet = Bench.awaitQuiet(writes, child, window, Bench.QUIET_TIMEOUT);
      WriteTally setupWrites = writes.get();
      System.out.printf("  set up: %s, %s; %s%n", setup, quiet ? "quiet" : "NOT quiet", setupWrites.describe());

      Snapshot before = snapshot(admin, ns);
      WriteTally w0 = writes.get();
      long j0 = System.nanoTime();
      LatticeNode joining = Bench.nodes(ns, "m", size, 1, Integer.MAX_VALUE, "join").get(0);
      admin.resource(joining).create();
      StatusWatch.Settle joined = watch.awaitNode(joining.getMetadata().getName(), j0, Bench.SETTLE_TIMEOUT);
      double lastWrite = awaitLastWrite(writes, j0, window);
      WriteTally join = writes.get().since(w0);
      Snapshot after = snapshot(admin, ns);
      String url = ResourceNames.nodeUrl(joining.getMetadata().getName(), ns);
      int naming = (int) admin.configMaps().inNamespace(ns).list().getItems().stream()
          // the lattice's one list, or (before the Lattice resource) the other members' own lists
          .filter(c -> c.getMetadata().getName().endsWith("-peer-list") || c.getMetadata().getName().endsWith("-lattice-peers"))
          .filter(c -> !c.getMetadata().getName().equals(ResourceNames.legacyPeerList(joining.getMetadata().getName())))
          .filter(c -> c.getData() != null && c.getData().values().stream().anyMatch(v -> v.contains(url)))
          .count();
      Map<String, long[]> rewritten = rewritten(before, after);
      System.out.printf("  join: %s, last write after %.1f s: %s%n", joined, lastWrite, join.describe());
      return new Result(size, setup, setupWrites, joined, lastWrite, join, before, after, rewritten, naming, load0, Bench.load());
    }
  }

  /**
   * Polls the write count every second until it stood still for {@code window} (bounded); the
   * seconds from {@code t0} to the last change seen.
   */
  static double awaitLastWrite(Supplier<WriteTally> writes, long t0, Duration window) throws InterruptedException {
    long deadline = System.nanoTime() + Bench.QUIET_TIMEOUT.toNanos();
    long last = -1;
    long changedAt = System.nanoTime();
    while (System.nanoTime() < deadline) {
      WriteTally now = writes.get();
      long count = now.accepted() + now.refused();
      if (count != last) {
        last = count;
        changedAt = System.nanoTime();
      } else if (System.nanoTime() - changedAt > window.toNanos()) {
        break;
      }
      Thread.sleep(1000); // one audit-log read a second
    }
    return (changedAt - t0) / 1e9;
  }

  static Snapshot snapshot(KubernetesClient admin, String ns) {
    Map<String, String> versions = new HashMap<>();
    Map<String, Long> sizes = new HashMap<>();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(admin.configMaps().inNamespace(ns).list().getItems());
    all.addAll(admin.secrets().inNamespace(ns).list().getItems());
    all.addAll(admin.services().inNamespace(ns).list().getItems());
    all.addAll(admin.persistentVolumeClaims().inNamespace(ns).list().getItems());
    all.addAll(admin.apps().deployments().inNamespace(ns).list().getItems());
    all.addAll(admin.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems());
    all.addAll(admin.discovery().v1().endpointSlices().inNamespace(ns).list().getItems());
    all.addAll(admin.resources(LatticeNode.class).inNamespace(ns).list().getItems());
    all.addAll(admin.v1().events().inNamespace(ns).list().getItems());
    long configMapData = 0;
    for (HasMetadata o : all) {
      String key = o.getKind() + "/" + o.getMetadata().getName();
      versions.put(key, o.getMetadata().getResourceVersion());
      sizes.put(key, (long) Serialization.asJson(o).getBytes(StandardCharsets.UTF_8).length);
      if (o instanceof ConfigMap c && c.getData() != null) {
        configMapData += c.getData().entrySet().stream()
            .mapToLong(e -> e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
      }
    }
    return new Snapshot(versions, sizes, configMapData);
  }

  /** Per kind: objects whose resourceVersion changed or that are new, and their bytes now. */
  static Map<String, long[]> rewritten(Snapshot before, Snapshot after) {
    Map<String, long[]> out = new TreeMap<>();
    after.versions().forEach((key, version) -> {
      if (!Objects.equals(before.versions().get(key), version)) {
        long[] v = out.computeIfAbsent(key.split("/")[0], k -> new long[2]);
        v[0]++;
        v[1] += after.sizes().get(key);
      }
    });
    return out;
  }

  static String human(long bytes) {
    if (bytes >= 10L << 20) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
    if (bytes >= 10L << 10) {
      return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
    }
    return bytes + " B";
  }
}
