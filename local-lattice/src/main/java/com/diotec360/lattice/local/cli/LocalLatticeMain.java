package com.diotec360.lattice.local.cli;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.LocalLattice;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./lattice-local}: starts a {@link LocalLattice}, applies a manifest, prints the status
 * table every few seconds and stops everything on Ctrl-C. Exit codes: 0 stopped, 1 failed, 2 bad
 * command line or manifest.
 */
public final class LocalLatticeMain {

  private static final PrintStream OUT = System.out;
  private static final long STARTED = System.nanoTime();
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private LocalLatticeMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("lattice.home", ".")).toAbsolutePath().normalize();
    Options options;
    try {
      options = Options.parse(args, home);
    } catch (Options.UsageException e) {
      System.err.println("lattice-local: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      OUT.print(Options.USAGE);
      return;
    }
    Files.createDirectories(options.workDir());
    // Before the first logger: operator and runtime logs go to a file, the terminal to the table.
    System.setProperty("lattice.local.log", options.workDir().resolve("local-lattice.log").toString());
    System.setProperty("logback.configurationFile", "local-lattice-logback.xml");
    System.exit(run(options, home));
  }

  static int run(Options options, Path home) throws IOException, InterruptedException {
    LocalLattice lattice;
    try {
      lattice =
          LocalLattice.start(
              new LocalLattice.Settings(
                  options.apiPort(), options.operatorPort(), options.pagePort(), options.workDir(), options.nodeJar(),
                  options.namespace()),
              LocalLatticeMain::progress);
    } catch (EmbeddedApiServer.PortInUseException | IllegalStateException e) {
      System.err.println("lattice-local: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              OUT.println("\nstopping: operator, node processes, embedded API ...");
              lattice.close();
              OUT.println("stopped; nothing of the local lattice is listening any more");
              stopped.countDown();
            },
            "lattice-local-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    if (options.apply()) {
      try {
        List<HasMetadata> applied = apply(lattice, options, home);
        progress("applied " + applied.size() + " object(s): "
            + String.join(", ", applied.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
      } catch (ManifestLoader.BadManifestException e) {
        System.err.println("lattice-local: the manifest cannot be applied:\n" + indent(e.getMessage()));
        return 2;
      }
    }
    OUT.println();
    Path env = lattice.envFile().toAbsolutePath().normalize();
    OUT.println("In a second terminal:  source " + (env.startsWith(home) ? home.relativize(env) : env));
    OUT.println("  kubectl: KUBECONFIG=" + lattice.kubeconfig() + "  (kubectl get ln,deploy,svc,cm)");
    OUT.println("  status page: " + lattice.statusPageUrl());
    OUT.println("  operator: " + lattice.operatorUrl() + "/metrics  /healthz  /readyz");
    OUT.println("Ctrl-C stops everything.");
    OUT.println();

    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    boolean first = true;
    while (!stopped.await(first ? 0 : options.intervalSeconds(), TimeUnit.SECONDS)) {
      first = false;
      List<LatticeNode> nodes = lattice.client().resources(LatticeNode.class).inAnyNamespace().list().getItems();
      List<StatusTable.Row> rows =
          StatusTable.rows(
              nodes,
              n -> lattice.runtime().urlOf(n.getMetadata().getNamespace(), n.getMetadata().getName()));
      List<Lattice> lattices = lattice.client().resources(Lattice.class).inAnyNamespace().list().getItems();
      OUT.println("--- " + LocalTime.now().format(CLOCK) + " ---");
      OUT.print(StatusTable.render(StatusTable.lattices(lattices), rows));
      if (options.exitWhenReady()) {
        boolean ready = !rows.isEmpty() && rows.stream()
            .allMatch(r -> "Running".equals(r.phase()) && "Consistent".equals(r.consistent()));
        if (ready) {
          progress("every node is Running and Consistent");
          return 0;
        }
        if (System.nanoTime() > deadline) {
          System.err.println("lattice-local: not every node became Running and Consistent within 3 minutes;"
              + " see " + options.workDir().resolve("local-lattice.log") + " and each node's node.log");
          return 1;
        }
      }
    }
    return 0;
  }

  private static List<HasMetadata> apply(LocalLattice lattice, Options options, Path home)
      throws ManifestLoader.BadManifestException {
    ManifestLoader loader = new ManifestLoader(lattice.client(), options.namespace());
    List<HasMetadata> items;
    if (options.manifest().isPresent()) {
      items = loader.read(options.manifest().get());
      progress("applying " + options.manifest().get());
    } else if (Files.isRegularFile(home.resolve("examples/dual-node.yaml"))) {
      items = loader.read(home.resolve("examples/dual-node.yaml"));
      progress("applying examples/dual-node.yaml");
    } else {
      try (InputStream in = LocalLatticeMain.class.getResourceAsStream("/examples/dual-node.yaml")) {
        items = loader.read(in, "built-in dual-node.yaml");
      } catch (IOException e) {
        throw new ManifestLoader.BadManifestException("cannot read the built-in dual-node.yaml: " + e);
      }
      progress("applying the built-in dual-node example (examples/dual-node.yaml not found)");
    }
    return loader.apply(items);
  }

  private static void progress(String message) {
    double seconds = Duration.ofNanos(System.nanoTime() - STARTED).toMillis() / 1000.0;
    OUT.printf("[%5.1fs] %s%n", seconds, message);
  }

  private static String indent(String text) {
    return "  " + text.replace("\n", "\n  ");
  }
}
