package com.diotec360.lattice.local.cli;

import java.nio.file.Path;
import java.util.Optional;

/** The command line of {@code ./lattice-local}. */
public record Options(
    Optional<Path> manifest,
    boolean apply,
    int apiPort,
    int operatorPort,
    int pagePort,
    Path workDir,
    Path nodeJar,
    String namespace,
    int intervalSeconds,
    boolean exitWhenReady,
    boolean help) {

  public static final int DEFAULT_API_PORT = 16443;
  public static final int DEFAULT_OPERATOR_PORT = 16480;
  public static final int DEFAULT_PAGE_PORT = 16481;

  public static final String USAGE =
      """
      Usage: ./lattice-local [options] [MANIFEST]

      Runs a whole lattice on this machine: an embedded Kubernetes API (with a kubeconfig for
      kubectl), the lattice operator, and one reference-node process per LatticeNode. Applies
      MANIFEST (default: examples/dual-node.yaml), then prints a status table until Ctrl-C.

      Options:
        -f, --manifest FILE   manifest to apply at start (same as the MANIFEST argument)
            --no-apply        start empty; apply manifests yourself with kubectl
            --api-port N      port of the embedded API on 127.0.0.1 (default 16443; 0 = any free port)
            --operator-port N the operator's /metrics, /healthz and /readyz on 127.0.0.1
                              (default 16480; 0 = any free port)
            --page-port N     the live status page on 127.0.0.1 (default 16481; 0 = any free port)
            --work-dir DIR    node state, peer files, logs and the kubeconfig (default .local-lattice)
            --node-jar FILE   the reference node jar (default node-image/target/lattice-node.jar)
        -n, --namespace NS    namespace for objects without one (default "default")
            --interval N      seconds between status tables (default 3)
            --exit-when-ready exit 0 once every node is Running and Consistent (exit 1 after 3 minutes)
        -h, --help            this text
      """;

  /** A command-line mistake; the message says which. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }

  public static Options parse(String[] args, Path home) throws UsageException {
    Optional<Path> manifest = Optional.empty();
    boolean apply = true;
    int apiPort = DEFAULT_API_PORT;
    int operatorPort = DEFAULT_OPERATOR_PORT;
    int pagePort = DEFAULT_PAGE_PORT;
    Path workDir = home.resolve(".local-lattice");
    Path nodeJar = home.resolve("node-image/target/lattice-node.jar");
    String namespace = "default";
    int interval = 3;
    boolean exitWhenReady = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> help = true;
        case "-f", "--manifest" -> manifest = Optional.of(Path.of(value(args, ++i, a)));
        case "--no-apply" -> apply = false;
        case "--api-port" -> apiPort = number(value(args, ++i, a), a, 0, 65535);
        case "--operator-port" -> operatorPort = number(value(args, ++i, a), a, 0, 65535);
        case "--page-port" -> pagePort = number(value(args, ++i, a), a, 0, 65535);
        case "--work-dir" -> workDir = Path.of(value(args, ++i, a));
        case "--node-jar" -> nodeJar = Path.of(value(args, ++i, a));
        case "-n", "--namespace" -> namespace = value(args, ++i, a);
        case "--interval" -> interval = number(value(args, ++i, a), a, 1, 3600);
        case "--exit-when-ready" -> exitWhenReady = true;
        default -> {
          if (a.startsWith("-")) {
            throw new UsageException("unknown option " + a + " (see --help)");
          }
          if (manifest.isPresent()) {
            throw new UsageException("give one manifest, not two (" + manifest.get() + " and " + a + ")");
          }
          manifest = Optional.of(Path.of(a));
        }
      }
    }
    if (!apply && manifest.isPresent()) {
      throw new UsageException("--no-apply and a manifest contradict each other: drop one");
    }
    if (!namespace.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")) {
      throw new UsageException("--namespace '" + namespace + "' is not a namespace name");
    }
    if (apiPort != 0 && apiPort == operatorPort) {
      throw new UsageException("--api-port and --operator-port are both " + apiPort + ": give them different ports");
    }
    if (pagePort != 0 && (pagePort == apiPort || pagePort == operatorPort)) {
      throw new UsageException("--page-port " + pagePort + " is taken by the API or the operator: give it its own port");
    }
    return new Options(manifest, apply, apiPort, operatorPort, pagePort, workDir, nodeJar, namespace, interval, exitWhenReady, help);
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value (see --help)");
    }
    return args[i];
  }

  private static int number(String raw, String option, int min, int max) throws UsageException {
    try {
      int n = Integer.parseInt(raw);
      if (n < min || n > max) {
        throw new UsageException(option + " " + n + " is out of range " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a whole number, not '" + raw + "'");
    }
  }
}
