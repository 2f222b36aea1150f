package com.diotec360.lattice.operator.bench;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
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
 * the embedded API's store: started by {@link ReconcileBenchmark} with the API's URL and a token
 * bound to the operator chart's RBAC. Nodes are probed at a closed loopback port
 * ({@code http://127.0.0.1:9}) with the real HTTP client, so every probe fails as for nodes whose
 * pods are not running. Commands on stdin: {@code mem} prints {@code MEM <heap bytes after GC>
 * <VmRSS kB>}; {@code stop} (or end of input) closes the operator and exits.
 */
public final class OperatorProcess {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String token = args[1];
    Duration probe = Duration.ofSeconds(Long.parseLong(args[2]));
    int unreachableAfter = Integer.parseInt(args[3]);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withOauthToken(token)
            .withNamespace("default")
            .build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatticeOperator operator =
        LatticeOperator.create(
            client,
            OperatorConfig.defaults().withWatchTimings(probe, unreachableAfter, Duration.ofSeconds(60)),
            Clock.systemUTC(),
            (node, namespace) -> "http://127.0.0.1:9",
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
