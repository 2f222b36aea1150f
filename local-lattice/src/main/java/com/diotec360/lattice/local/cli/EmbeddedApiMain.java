package com.diotec360.lattice.local.cli;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.LocalLattice;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded API alone, for an operator that runs somewhere else (its image, an IDE): starts
 * the API on 127.0.0.1 with the LatticeNode CRD, writes a kubeconfig (cluster-admin, no token),
 * prints one line {@code embedded-api ready url=<url> kubeconfig=<file>} and serves until
 * SIGTERM or Ctrl-C. No node runtime, no garbage collection, no operator.
 *
 * <pre>java -cp local-lattice/target/local-lattice.jar \
 *     com.diotec360.lattice.local.cli.EmbeddedApiMain [--port N] [--kubeconfig FILE] [--namespace NS]</pre>
 *
 * Exit codes: 0 stopped, 1 could not start (port taken), 2 bad command line.
 */
public final class EmbeddedApiMain {

  private EmbeddedApiMain() {}

  public static void main(String[] args) throws Exception {
    int port = 0;
    Path kubeconfig = Path.of("kubeconfig");
    String namespace = "default";
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(args[++i]);
          case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
          case "--namespace" -> namespace = args[++i];
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (RuntimeException e) {
      System.err.println("embedded-api: " + e.getMessage()
          + " (options: --port N, --kubeconfig FILE, --namespace NS)");
      System.exit(2);
      return;
    }
    EmbeddedApiServer api;
    try {
      api = EmbeddedApiServer.start(port, Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
    } catch (EmbeddedApiServer.PortInUseException e) {
      System.err.println("embedded-api: " + e.getMessage());
      System.exit(1);
      return;
    }
    Path file = api.writeKubeconfig(kubeconfig.toAbsolutePath(), namespace);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      api.close();
      stopped.countDown();
    }, "embedded-api-shutdown"));
    System.out.println("embedded-api ready url=" + api.url() + " kubeconfig=" + file);
    System.out.flush();
    stopped.await();
  }
}
