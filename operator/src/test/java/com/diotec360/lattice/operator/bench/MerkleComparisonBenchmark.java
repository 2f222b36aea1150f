package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.e2e.LocalNodes;
import com.diotec360.lattice.operator.observe.HttpNodeClient;
import com.diotec360.lattice.merkle.MerkleComparison;
import com.diotec360.lattice.merkle.TreeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of the operator's divergence evidence ({@link MerkleComparison}) between two real
 * reference nodes holding n shared entries, one of which holds d more: requests, bytes and time
 * per comparison. Prints a table for operator/BENCHMARKS.md. Not a test.
 *
 * <pre>
 * ./mvnw -B -o -q -pl node-image package -DskipTests
 * ./mvnw -B -o -q -pl operator test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.diotec360.lattice.operator.bench.MerkleComparisonBenchmark \
 *   -Dlattice.repoRoot=. -Dexec.args="10000 1000000"
 * </pre>
 */
public final class MerkleComparisonBenchmark {

  private static final int BATCH = 10_000;

  private MerkleComparisonBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args.length == 0 ? new String[] {"10000", "1000000"} : args) {
      sizes.add(Integer.parseInt(a));
    }
    System.out.println("| n (shared entries) | d (only on one node) | requests | bytes | ms | missing | extra | truncated |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    try (HttpNodeClient client = new HttpNodeClient(Duration.ofSeconds(30), 4)) {
      for (int n : sizes) {
        Path dir = Files.createTempDirectory("merkle-bench");
        try (LocalNodes nodes = new LocalNodes(dir, "bench-secret")) {
          nodes.define("a");
          nodes.define("b");
          nodes.start("a", "768m");
          nodes.start("b", "768m");
          long t0 = System.nanoTime();
          load(nodes, "shared-", 0, n, "a", "b");
          System.err.printf("loaded %d entries on both nodes in %d s%n", n, (System.nanoTime() - t0) / 1_000_000_000);
          int extra = 0;
          for (int d : new int[] {1, 100, 10_000}) {
            load(nodes, "only-b-", extra, d, "b");
            extra = d;
            TreeReader a = prefixes -> client.tree(nodes.url("a"), prefixes);
            TreeReader b = prefixes -> client.tree(nodes.url("b"), prefixes);
            MerkleComparison.compare(a, "b", b, Instant.now()); // warm-up
            long start = System.nanoTime();
            MerkleComparison.Evidence e =
                MerkleComparison.compare(a, "b", b, Instant.now());
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("| %d | %d | %d | %d | %d | %d | %d | %s |%n",
                n, d, e.requests(), e.bytes(), ms, e.missing(), e.extra(), e.truncated());
          }
        }
      }
    }
  }

  /** Writes entries [from, to) with this prefix to every given node, in batches. */
  private static void load(LocalNodes nodes, String prefix, int from, int to, String... names) throws Exception {
    for (int i = from; i < to; i += BATCH) {
      List<String> batch = new ArrayList<>();
      for (int k = i; k < Math.min(to, i + BATCH); k++) {
        batch.add(prefix + k);
      }
      for (String name : names) {
        nodes.writeBatch(name, batch);
      }
    }
  }
}
