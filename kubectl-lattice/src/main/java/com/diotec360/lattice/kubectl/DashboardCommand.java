package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.StatusPageServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kubectl lattice dashboard [-n NS | -A] [--port N]}: the live status page on 127.0.0.1,
 * acting with the user's kubeconfig. Runs until Ctrl-C.
 */
final class DashboardCommand {

  static final int DEFAULT_PORT = 8740;

  private final KubernetesClient client;
  private final KubectlLattice.Cli cli;

  DashboardCommand(KubernetesClient client, KubectlLattice.Cli cli) {
    this.client = client;
    this.cli = cli;
  }

  int run(Args args, KubectlLattice.Scope scope) throws UsageException {
    if (!args.positional().isEmpty()) {
      throw new UsageException("dashboard takes no arguments, not " + args.positional());
    }
    int port;
    try {
      port = Integer.parseInt(args.value("--port", String.valueOf(DEFAULT_PORT)));
    } catch (NumberFormatException e) {
      throw new UsageException("--port needs a number, not '" + args.value("--port", "") + "'");
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535, not " + port);
    }
    StatusPageServer server;
    try {
      server = new StatusPageServer(client, scope.namespaceOrNull(), port).start();
    } catch (BindException e) {
      throw new CommandException("port " + port + " on 127.0.0.1 is in use: pass --port N (0 picks a free port)");
    } catch (IOException e) {
      throw new CommandException("cannot serve on 127.0.0.1:" + port + ": " + e.getMessage());
    } catch (KubernetesClientException e) {
      throw new CommandException(KubectlLattice.ApiErrors.explain(e, "cannot watch latticenodes in " + scope.describe()));
    }
    cli.out().println("lattice status page for " + scope.describe() + ": " + server.url());
    cli.out().println("(serving on 127.0.0.1 only, with your kubeconfig's credentials; Ctrl-C stops it)");
    cli.out().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "lattice-dashboard-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
