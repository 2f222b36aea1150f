package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.LocalLattice;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a timed assertion: the goal is "answers in under a second for a lattice
 * of 10 nodes". After one warm-up run (which writes the launcher's class-data archive), it runs the real launcher ({@code bin/kubectl-lattice status}, a new JVM each time,
 * as a user would) against 10 LatticeNodes with statuses and Events, checks the answer, and writes
 * the wall times to target/status-latency.txt. The numbers are quoted in the module README.
 */
class StatusLatencyIT {

  static final int NODES = 10;
  static final int RUNS = 7;

  @TempDir Path work;

  @Test
  void statusOfTenNodesByTheRealLauncher() throws Exception {
    try (EmbeddedApiServer api = EmbeddedApiServer.start(0, Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES))) {
      TestNodes nodes = new TestNodes(api.client(), "default");
      nodes.createLattice("big");
      nodes.latticeStatus("big", TestNodes.latticeStatus("Healthy", NODES, NODES, StatusPageIT.A,
          "Every member holds the reference root"));
      for (int i = 0; i < NODES; i++) {
        String name = "node" + i;
        nodes.create(name, "big", "auto");
        nodes.status(name, TestNodes.status("Running", "P2P", NODES - 1, 42, StatusPageIT.A, "Consistent", "True"));
        api.client().v1().events().inNamespace("default").resource(new EventBuilder()
            .withNewMetadata().withName(name + ".1").endMetadata()
            .withNewInvolvedObject().withKind("LatticeNode").withName(name).withNamespace("default").endInvolvedObject()
            .withReason("NodeRecovered").withMessage("probes succeed again").withType("Normal")
            .withLastTimestamp("2026-11-30T10:00:00Z").build()).create();
      }
      Path kubeconfig = api.writeKubeconfig(work.resolve("kubeconfig"), "default");
      Path bin = Path.of(System.getProperty("kubectl.lattice.bin", "bin/kubectl-lattice"));
      List<Long> millis = new ArrayList<>();
      String output = "";
      long first = 0;
      for (int run = -1; run < RUNS; run++) {
        long start = System.nanoTime();
        ProcessBuilder launcher = new ProcessBuilder(bin.toString(), "status", "--kubeconfig", kubeconfig.toString())
            .redirectErrorStream(true);
        launcher.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        Process p = launcher.start();
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        long took = (System.nanoTime() - start) / 1_000_000;
        if (run < 0) {
          first = took; // the first run also writes the class-data archive (see bin/kubectl-lattice)
          assertThat(output.lines().filter(l -> l.startsWith("node"))).hasSize(NODES);
        } else {
          millis.add(took);
        }
      }
      assertThat(output.lines().filter(l -> l.startsWith("node"))).hasSize(NODES);
      assertThat(output).contains("members 10   agreeing 10   quorum 6 (held)").contains("NodeRecovered");
      List<Long> sorted = millis.stream().sorted().toList();
      String report = "kubectl lattice status, " + NODES + " nodes, " + RUNS + " runs of bin/kubectl-lattice (new JVM each):"
          + " min " + sorted.get(0) + " ms, median " + sorted.get(RUNS / 2) + " ms, max " + sorted.get(RUNS - 1)
          + " ms; all " + millis + "; the first run, which writes the class-data archive: " + first + " ms\n";
      System.out.print(report);
      Files.writeString(Path.of("target/status-latency.txt"), report);
    }
  }
}
