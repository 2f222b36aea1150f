package com.diotec360.lattice.node.bench;

import com.diotec360.lattice.node.LatticeNode;
import com.diotec360.lattice.node.TestNodes;
import com.diotec360.lattice.node.config.NodeConfigLoader;
import com.diotec360.lattice.node.state.Entry;
import com.diotec360.lattice.node.sync.AntiEntropy;
import com.diotec360.lattice.node.sync.PeerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints markdown tables: anti-entropy cost vs a full-state transfer, durable write throughput, and
 * P2P vs HTTP propagation latency. Real in-process nodes on loopback with real disks.
 * Run: {@code ./mvnw -B -pl node-image -q test-compile exec:java} (sizes: {@code -Dbench.sizes=10000,100000};
 * only the anti-entropy table: {@code -Dbench.sections=antientropy}).
 */
public final class NodeBenchmark {
    private static int counter;

    private NodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("lattice.test.log.level", "ERROR");
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "10000,100000,1000000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        String sections = System.getProperty("bench.sections", "antientropy,throughput,latency");
        Path root = Files.createTempDirectory("lattice-bench");
        System.out.printf("Machine: %d cores, %s RAM, %s %s, Java %s; %s; load average at start: %s%n%n",
                Runtime.getRuntime().availableProcessors(), memTotal(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"),
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MINUTES),
                load());
        System.out.println("## Anti-entropy (node B lacks d of node A's n entries, or also holds entries A lacks;"
                + " B reconciles with A over HTTP, pull only)\n");
        System.out.println("Each row runs three times on a fresh B: the Merkle walk forced, the full transfer (paging"
                + " through GET /api/lattice/entries) forced, and the automatic choice the node makes. Bytes are request"
                + " plus response bodies of that one reconciliation; 'full copy' pages through A's whole listing.\n");
        System.out.println("| n | B lacks d | B's own | full copy bytes | walk bytes | walk / copy | walk trips |"
                + " full-transfer bytes | full trips | node picks | picked bytes | picked / copy | picked time (ms) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        for (int n : sizes) {
            if (!sections.contains("antientropy")) {
                break;
            }
            antiEntropy(root, n);
        }
        if (!sections.contains("throughput")) {
            System.out.printf("%nLoad average at the end: %s%n", load());
            System.exit(0);
        }
        System.out.println("\n## Durable write throughput (POST /api/lattice/entries, acknowledged after fsync)\n");
        System.out.println("| clients | entries per request | acknowledged entries/s | requests/s |");
        System.out.println("|---:|---:|---:|---:|");
        throughput(root);
        System.out.println("\n## Propagation latency, write on A until visible on B (2 nodes, 30 writes)\n");
        System.out.println("| path | median (ms) | p95 (ms) | max (ms) |");
        System.out.println("|---|---:|---:|---:|");
        latency(root, true);
        latency(root, false);
        System.out.printf("%nLoad average at the end: %s%n", load());
        System.exit(0);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / (1024 * 1024) + " GB";
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "?";
    }

    private static LatticeNode node(Path root, String name, Map<String, String> extra) throws Exception {
        Map<String, String> env = TestNodes.env(name + "-" + (counter++), root.resolve(name + "-" + counter));
        env.put(NodeConfigLoader.HTTP_POLL_INTERVAL, "3600");
        env.put(NodeConfigLoader.PEERLESS_TIMEOUT, "3600");
        env.put(NodeConfigLoader.P2P_ENABLED, "false");
        env.putAll(extra);
        return new LatticeNode(NodeConfigLoader.load(env)).start();
    }

    private static List<Entry> dataset(int n) {
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Entry.ofText("bench-entry-" + i + "-payload-0123456789"));
        }
        return out;
    }

    private static void load(LatticeNode node, List<Entry> entries) throws Exception {
        for (int from = 0; from < entries.size(); from += 10_000) {
            node.state().add(entries.subList(from, Math.min(entries.size(), from + 10_000)), "bench")
                    .get(120, TimeUnit.SECONDS);
        }
    }

    private static void antiEntropy(Path root, int n) throws Exception {
        List<Entry> all = dataset(n);
        try (LatticeNode a = node(root, "source", Map.of())) {
            load(a, all);
            URI aUrl = TestNodes.url(a);
            long[] full = fullTransfer(aUrl);
            // {d = entries of A that B lacks, own = entries B holds that A lacks}
            List<int[]> cases = new ArrayList<>();
            for (int d : new int[] {1, 100, n / 100, n / 10, n / 2, n}) {
                if (d >= 1 && cases.stream().noneMatch(c -> c[0] == d) && (n <= 100_000 || d == 1 || d == n / 100)) {
                    cases.add(new int[] {d, 0});
                }
            }
            if (n <= 100_000) {
                cases.add(new int[] {n / 2, n / 2}); // a fork: equal counts, half of each side unknown to the other
            }
            for (int[] c : cases) {
                int d = c[0];
                int own = c[1];
                List<Entry> shuffled = new ArrayList<>(all);
                Collections.shuffle(shuffled, new java.util.Random(d));
                List<Entry> mine = new ArrayList<>(shuffled.subList(d, n));
                for (int i = 0; i < own; i++) {
                    mine.add(Entry.ofText("bench-own-" + i + "-payload-0123456789"));
                }
                long[] walk = reconcileFresh(root, a, mine, AntiEntropy.Strategy.WALK_ONLY, d);
                long[] copy = reconcileFresh(root, a, mine, AntiEntropy.Strategy.FULL_ONLY, d);
                long[] auto = reconcileFresh(root, a, mine, AntiEntropy.Strategy.AUTO, d);
                System.out.printf("| %,d | %,d | %,d | %,d | %,d | %.2f | %d | %,d | %d | %s | %,d | %.2f | %,d |%n",
                        n, d, own, full[0], walk[0], (double) walk[0] / full[0], walk[1], copy[0], copy[1],
                        auto[3] == AntiEntropy.Method.WALK.ordinal() ? "walk" : "full transfer", auto[0],
                        (double) auto[0] / full[0], auto[2]);
            }
        }
    }

    /** {bytes, round trips, millis, method ordinal} of one reconciliation of a fresh B holding {@code mine}. */
    private static long[] reconcileFresh(Path root, LatticeNode a, List<Entry> mine, AntiEntropy.Strategy strategy,
                                         int expectPulled) throws Exception {
        try (LatticeNode b = node(root, "sink", Map.of())) {
            load(b, mine);
            PeerHttpClient client = new PeerHttpClient(Duration.ofSeconds(120));
            long t0 = System.nanoTime();
            AntiEntropy.Result r = new AntiEntropy(b.state(), client, Optional.empty(), strategy)
                    .reconcile(TestNodes.url(a));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r.pulled() != expectPulled || b.state().size() != mine.size() + expectPulled) {
                throw new IllegalStateException(strategy + " pulled " + r.pulled() + " of " + expectPulled);
            }
            return new long[] {r.bytes(), r.roundTrips(), ms, r.method().ordinal()};
        }
    }

    /** Pages through every entry of the peer: the cost of shipping the whole state. */
    private static long[] fullTransfer(URI peer) throws Exception {
        PeerHttpClient client = new PeerHttpClient(Duration.ofSeconds(120));
        long t0 = System.nanoTime();
        String after = null;
        do {
            JsonNode page = client.page(peer, after, 10_000);
            after = page.path("next_after").isNull() ? null : page.path("next_after").asText();
        } while (after != null);
        return new long[] {client.bytesTransferred(), (System.nanoTime() - t0) / 1_000_000};
    }

    private static void throughput(Path root) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int[][] cases = {{1, 1}, {16, 1}, {64, 1}, {16, 100}};
        for (int[] c : cases) {
            try (LatticeNode node = node(root, "writer", Map.of())) {
                URI url = URI.create(TestNodes.url(node) + "/api/lattice/entries");
                AtomicLong requests = new AtomicLong();
                AtomicLong seq = new AtomicLong();
                long durationNanos = TimeUnit.SECONDS.toNanos(4);
                long start = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(c[0]);
                for (int t = 0; t < c[0]; t++) {
                    pool.execute(() -> {
                        while (System.nanoTime() - start < durationNanos) {
                            StringBuilder body = new StringBuilder("{\"entries\":[");
                            for (int k = 0; k < c[1]; k++) {
                                body.append(k == 0 ? "" : ",").append("{\"data\":\"w-").append(seq.incrementAndGet())
                                        .append("\"}");
                            }
                            body.append("]}");
                            try {
                                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url)
                                        .header("Authorization", "Bearer " + TestNodes.SECRET)
                                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                        HttpResponse.BodyHandlers.discarding());
                                if (r.statusCode() == 200) {
                                    requests.incrementAndGet();
                                }
                            } catch (Exception e) {
                                return;
                            }
                        }
                    });
                }
                pool.shutdown();
                pool.awaitTermination(60, TimeUnit.SECONDS);
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("| %d | %d | %,.0f | %,.0f |%n", c[0], c[1], requests.get() * c[1] / secs,
                        requests.get() / secs);
            }
        }
    }

    private static void latency(Path root, boolean p2p) throws Exception {
        Map<String, String> extra = new HashMap<>();
        extra.put(NodeConfigLoader.P2P_ENABLED, String.valueOf(p2p));
        extra.put(NodeConfigLoader.HTTP_POLL_INTERVAL, "1");
        try (LatticeNode a = node(root, "lat-a", extra); LatticeNode b = node(root, "lat-b", extra)) {
            a.directory().replace(List.of(TestNodes.url(b)), "bench");
            b.directory().replace(List.of(TestNodes.url(a)), "bench");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (p2p && b.p2p().peerCount() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            List<Long> samples = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Entry e = Entry.ofText("latency-" + p2p + "-" + i);
                long t0 = System.nanoTime();
                a.state().add(List.of(e), "bench").get(10, TimeUnit.SECONDS);
                while (!b.state().contains(e.id())) {
                    LockSupport.parkNanos(200_000);
                }
                samples.add((System.nanoTime() - t0) / 1_000);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(p2p ? 20 : 137));
            }
            Collections.sort(samples);
            System.out.printf("| %s | %.1f | %.1f | %.1f |%n", p2p ? "P2P push" : "HTTP poll (interval 1 s)",
                    samples.get(samples.size() / 2) / 1000.0, samples.get((int) (samples.size() * 0.95)) / 1000.0,
                    samples.get(samples.size() - 1) / 1000.0);
        }
    }
}
