package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator alone in its own JVM, as in its pod, so that its heap and RSS are its own and not
 * the API server's or the benchmark's: started by the benchmarks with a kubeconfig (the operator's
 * identity on the harness, or the user's own cluster), read as the operator's {@code main} reads
 * one. Arguments: kubeconfig path, probe interval seconds, unreachable-after probes, and where
 * nodes are: {@code closed} (a closed loopback port, {@code http://127.0.0.1:9}, so every probe
 * fails as for pods that are not running) or a URL template with {@code {name}} (the stub nodes of
 * {@link TrafficBenchmark}). Its client counts its own writes ({@link ClientWrites}). Commands on
 * stdin: {@code mem} prints {@code MEM <heap bytes after GC> <VmRSS kB>}; {@code stats} JOSDK's
 * counters; {@code writes} {@code WRITES <encoded tally>}; {@code stop} (or end of input) closes
 * the operator and exits.
 */
public final class OperatorProcess {

  public static void main(String[] args) throws Exception {
    System.setProperty("kubeconfig", args[0]); // read as the operator's main reads KUBECONFIG
    Duration probe = Duration.ofSeconds(Long.parseLong(args[1]));
    int unreachableAfter = Integer.parseInt(args[2]);
    String nodes = args[3];
    NodeAddressResolver resolver = nodes.equals("closed")
        ? (node, namespace) -> "http://127.0.0.1:9"
        : (node, namespace) -> nodes.replace("{name}", node);
    ClientWrites writes = new ClientWrites("operator");
    KubernetesClient client = new KubernetesClientBuilder()
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-writes", writes))
        .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatticeOperator operator =
        LatticeOperator.create(
            client,
            OperatorConfig.defaults().withWatchTimings(probe, unreachableAfter, Duration.ofSeconds(60)),
            Clock.systemUTC(),
            resolver,
            registry);
    operator.start();
    System.out.println("READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("stop")) {
      if (line.equals("stats")) {
        // JOSDK's own counters: how many reconciles (and failed ones) the operator ran so far.
        StringBuilder out = new StringBuilder("STATS");
        registry.getMeters().stream()
            .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations")
                || m.getId().getName().startsWith("operator.sdk.events"))
            .forEach(m -> m.measure().forEach(ms -> out.append(' ').append(m.getId().getName())
                .append('=').append((long) ms.getValue())));
        System.out.println(out);
        System.out.flush();
      }
      if (line.equals("writes")) {
        System.out.println("WRITES " + writes.encode());
        System.out.flush();
      }
      if (line.equals("mem")) {
        System.gc();
        Thread.sleep(300); // let the collector finish before reading (benchmark, not a test)
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println("MEM " + heap + " " + rssKb());
        System.out.flush();
      }
    }
    operator.close();
    client.close();
    System.exit(0);
  }

  static long rssKb() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
