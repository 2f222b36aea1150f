package com.diotec360.lattice.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.PrintStream;
import java.net.ConnectException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl lattice}: the lattice at a glance, from the user's kubeconfig and with the user's
 * RBAC, like any kubectl plugin. Exit codes: 0 done; 1 the command could not do it (unknown node,
 * no such lattice, no permission, API unreachable, a switch not reported in time); 2 bad command
 * line. Every failure is one line on stderr starting with {@code error:}.
 */
public final class KubectlLattice {

  static final String USAGE =
      """
      kubectl lattice: the lattice at a glance (a kubectl plugin; uses your kubeconfig and RBAC)

      Usage:
        kubectl lattice status [LATTICE] [-n NS | -A] [-o text|json|yaml]
            per lattice a header from its Lattice (phase, members, agreeing, quorum, reference root
            and when it was written, links, rollout, evidence), one row per node (role, phase,
            sync mode and since when, peers, heartbeat, version, root as written and when, verdict,
            evidence, last Event) and, in a group of their own, its external members as the
            operator last probed them; colour only on a terminal, always with a text label.
            For one line per lattice: kubectl get lat
        kubectl lattice switch NODE --mode auto|p2p|http [-n NS] [--timeout SECONDS] [--no-wait]
            patches spec.sync.mode, then waits until the operator reports what the node now does
        kubectl lattice diff NODE [OTHER | --against OTHER] [-n NS] [--exit-code]
            which entries NODE lacks or holds alone, compared now with a member holding the lattice's
            reference root (or OTHER): both Merkle tries, a LatticeNode's walked through the API
            server's service proxy (needs create on services/proxy), an external member's directly at
            its url (with the headers and CA from its Secrets: needs get on them); else the
            operator's last evidence and roots. NODE and OTHER may be external members
        kubectl lattice report [-n NS | -A] [-f FILE.zip]
            one zip with every LatticeNode, what it owns, Events and (where you may read them) the
            operator's logs; Secret values are redacted
        kubectl lattice dashboard [-n NS | -A] [--port N]
            serves the live status page on 127.0.0.1 (default port 8740; 0 = any free port) and
            prints its URL; it acts with your kubeconfig, so RBAC applies to every switch

      Global flags: --kubeconfig FILE, --context NAME, -n/--namespace NS, -A/--all-namespaces, -h/--help
      """;

  /** What a command needs from its surroundings; tests give their own. */
  record Cli(PrintStream out, PrintStream err, boolean tty, Clock clock, Map<String, String> env) {}

  static final Map<String, List<String>> GLOBAL_VALUES = Map.of(
      "--kubeconfig", List.of("--kubeconfig"),
      "--context", List.of("--context"),
      "--namespace", List.of("-n", "--namespace"));
  static final Map<String, List<String>> GLOBAL_BOOLEANS = Map.of(
      "--all-namespaces", List.of("-A", "--all-namespaces"),
      "--help", List.of("-h", "--help"));

  private KubectlLattice() {}

  public static void main(String[] args) {
    boolean tty = System.console() != null
        && System.getenv("NO_COLOR") == null
        && !"dumb".equals(System.getenv("TERM"));
    int code = run(args, new Cli(System.out, System.err, tty, Clock.systemUTC(), System.getenv()));
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command; returns its exit code. */
  static int run(String[] argv, Cli cli) {
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
      cli.out().print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.remove(0);
    try {
      Map<String, List<String>> values = new HashMap<>(GLOBAL_VALUES);
      Map<String, List<String>> booleans = new HashMap<>(GLOBAL_BOOLEANS);
      switch (command) {
        case "status" -> {
          values.put("--output", List.of("-o", "--output"));
        }
        case "switch" -> {
          values.put("--mode", List.of("--mode"));
          values.put("--timeout", List.of("--timeout"));
          booleans.put("--no-wait", List.of("--no-wait"));
        }
        case "diff" -> {
          values.put("--against", List.of("--against"));
          booleans.put("--exit-code", List.of("--exit-code"));
        }
        case "report" -> values.put("--file", List.of("-f", "--file"));
        case "dashboard" -> values.put("--port", List.of("--port"));
        default -> throw new UsageException("unknown command '" + command + "': use status, switch, diff, report or dashboard");
      }
      Args parsed = Args.parse(args, values, booleans);
      if (parsed.has("--help")) {
        cli.out().print(USAGE);
        return 0;
      }
      if (parsed.has("--namespace") && parsed.has("--all-namespaces")) {
        throw new UsageException("-n and -A contradict each other: give one");
      }
      String namespace = parsed.value("--namespace", null);
      if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
        throw new UsageException("'" + namespace + "' is not a namespace name");
      }
      Config config = config(parsed, cli);
      // A command line tool answers at once: one retry, short timeouts, not fabric8's ten retries.
      config.setRequestRetryBackoffLimit(1);
      config.setRequestRetryBackoffInterval(200);
      config.setConnectionTimeout(5_000);
      ApiErrors.apiUrl = config.getMasterUrl();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
        Scope scope = new Scope(ns, parsed.has("--all-namespaces"));
        return switch (command) {
          case "status" -> new StatusCommand(client, cli).run(parsed, scope);
          case "switch" -> new SwitchCommand(client, cli).run(parsed, scope);
          case "diff" -> new DiffCommand(client, cli).run(parsed, scope);
          case "report" -> new ReportCommand(client, cli).run(parsed, scope);
          default -> new DashboardCommand(client, cli).run(parsed, scope);
        };
      }
    } catch (UsageException e) {
      cli.err().println("error: " + e.getMessage() + " (see kubectl lattice --help)");
      return 2;
    } catch (CommandException e) {
      cli.err().println("error: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException e) {
      cli.err().println("error: " + ApiErrors.explain(e, null));
      return 1;
    }
  }

  /** The namespace a command works in, or all of them. */
  record Scope(String namespace, boolean all) {
    /** null when all namespaces (the fabric8 convention for inAnyNamespace). */
    String namespaceOrNull() {
      return all ? null : namespace;
    }

    String describe() {
      return all ? "any namespace" : "namespace " + namespace;
    }
  }

  private static Config config(Args parsed, Cli cli) throws UsageException {
    String context = parsed.value("--context", null);
    String file = parsed.value("--kubeconfig", null);
    if (file != null) {
      File f = new File(file);
      if (!f.isFile()) {
        throw new UsageException("--kubeconfig " + file + " does not exist");
      }
      try {
        return Config.fromKubeconfig(context, f);
      } catch (RuntimeException e) {
        throw new CommandException("cannot read kubeconfig " + file + ": " + e.getMessage());
      }
    }
    String fromEnv = cli.env().get("KUBECONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      // fabric8 reads the KUBECONFIG of the process; a test passes its own environment.
      String first = fromEnv.split(File.pathSeparator)[0];
      if (new File(first).isFile()) {
        return Config.fromKubeconfig(context, new File(first));
      }
    }
    return Config.autoConfigure(context);
  }

  /** Turns API failures into one line a person can act on. */
  static final class ApiErrors {
    /** The API server of this run, for messages about reaching it. */
    static volatile String apiUrl = "";

    private ApiErrors() {}

    static String explain(KubernetesClientException e, String doing) {
      String prefix = doing == null ? "" : doing + ": ";
      if (e.getCode() == 403) {
        return prefix + "permission denied: " + serverMessage(e);
      }
      if (e.getCode() == 401) {
        return prefix + "the API server does not accept your credentials (401); check your kubeconfig";
      }
      if (e.getCode() == 404) {
        return prefix + "not found: " + serverMessage(e)
            + " (is the LatticeNode CRD installed? kubectl apply -f crds/latticenodes.lattice.diotec360.com-v1.yml)";
      }
      Throwable cause = e;
      while (cause.getCause() != null && cause != cause.getCause()) {
        cause = cause.getCause();
        if (cause instanceof ConnectException || cause instanceof java.net.UnknownHostException) {
          return prefix + "cannot reach the Kubernetes API at " + apiUrl + " ("
              + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
              + "); check your kubeconfig's current context";
        }
      }
      return prefix + serverMessage(e);
    }

    static String serverMessage(KubernetesClientException e) {
      String m = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
      return String.valueOf(m).lines().findFirst().orElse("");
    }
  }
}
