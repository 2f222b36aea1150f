package com.diotec360.lattice.local;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.gc.OwnerReferenceCollector;
import com.diotec360.lattice.local.runtime.NodeProcessRuntime;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.LatticeSecrets;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.health.HealthServer;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.view.StatusPageServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A whole lattice on one machine: the embedded API, owner-reference garbage collection, the node
 * runtime and the operator, started in that order and stopped in reverse.
 */
public final class LocalLattice implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Where and how to run.
   *
   * @param operatorPort the operator's /metrics, /healthz and /readyz on 127.0.0.1 (0: any free)
   * @param pagePort the status page on 127.0.0.1 (0: any free)
   */
  public record Settings(
      int apiPort, int operatorPort, int pagePort, Path workDir, Path nodeJar, String namespace,
      Duration rolloutDeadline) {

    public Settings(
        int apiPort, int operatorPort, int pagePort, Path workDir, Path nodeJar, String namespace) {
      this(apiPort, operatorPort, pagePort, workDir, nodeJar, namespace, ROLLOUT_DEADLINE);
    }

    /** Any free ports (tests). */
    public static Settings anyPorts(Path workDir, Path nodeJar, String namespace) {
      return new Settings(0, 0, 0, workDir, nodeJar, namespace);
    }

    /** The same, with another rollout deadline (how long a restart may take before it is stuck). */
    public Settings withRolloutDeadline(Duration deadline) {
      return new Settings(apiPort, operatorPort, pagePort, workDir, nodeJar, namespace, deadline);
    }
  }

  /** The file a second terminal sources: KUBECONFIG, a per-run kubectl cache, the operator's URL. */
  public static final String ENV_FILE = "env";

  /** Faster than a cluster's defaults (10 s, 3, 60 s): a local lattice is for watching it react. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

  static final int UNREACHABLE_AFTER = 3;
  static final Duration GRACE = Duration.ofSeconds(15);

  /** A node restarts here in seconds; two minutes without coming back means it will not. */
  static final Duration ROLLOUT_DEADLINE = Duration.ofSeconds(120);


  private final Settings settings;
  private EmbeddedApiServer api;
  private OwnerReferenceCollector collector;
  private NodeProcessRuntime runtime;
  private LatticeOperator operator;
  private HealthServer operatorEndpoints;
  private StatusPageServer statusPage;
  private Path kubeconfig;
  private Path envFile;

  private LocalLattice(Settings settings) {
    this.settings = settings;
  }

  /** Starts everything; on failure, stops what already started and rethrows. */
  public static LocalLattice start(Settings settings, Consumer<String> progress) throws IOException {
    if (!Files.isRegularFile(settings.nodeJar())) {
      throw new IllegalStateException(
          "the node jar " + settings.nodeJar() + " does not exist: build it with"
              + " ./mvnw -B -q -DskipTests install (./lattice-local does this for you)");
    }
    LocalLattice lattice = new LocalLattice(settings);
    try {
      lattice.startAll(progress);
      return lattice;
    } catch (RuntimeException | IOException e) {
      lattice.close();
      throw e;
    }
  }

  private void startAll(Consumer<String> progress) throws IOException {
    progress.accept("starting the embedded Kubernetes API on 127.0.0.1:"
        + (settings.apiPort() == 0 ? "(any free port)" : settings.apiPort()));
    api = EmbeddedApiServer.start(settings.apiPort(), Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
    Files.createDirectories(settings.workDir());
    kubeconfig = api.writeKubeconfig(settings.workDir().resolve("kubeconfig"), settings.namespace());
    progress.accept("API at " + api.url() + ", LatticeNode CRD registered, kubeconfig " + kubeconfig);
    // kubectl caches discovery per host:port for hours; a fresh cache per run never shows the
    // kinds of an earlier run on the same port.
    Path kubectlCache = settings.workDir().resolve("kube-cache");
    deleteTree(kubectlCache);

    collector = new OwnerReferenceCollector(api.client(), Duration.ofSeconds(2));
    collector.start();
    runtime = new NodeProcessRuntime(api.client(), settings.nodeJar(), settings.workDir(), Duration.ofSeconds(1));
    runtime.start();
    progress.accept("node runtime started (node files under " + settings.workDir() + ")");
    // The service proxy (kubectl lattice diff, kubectl get --raw .../services/NODE:http/proxy/...):
    // a node's Service carries the node's name, and its http port (8000) is the node's process, as
    // long as one runs (else "no endpoints available", as for a pod that is not ready). p2p is not
    // proxied.
    api.serviceBackends((namespace, service, port, portName) ->
        ("http".equals(portName) || port == ResourceNames.HTTP_PORT) && runtime.isRunning(namespace, service)
            ? runtime.urlOf(namespace, service).map(URI::create)
            : Optional.empty());

    // The operator probes each node where the runtime runs it. A node with no process resolves to
    // the discard port, where the connection is refused: the operator reports it unreachable.
    NodeAddressResolver loopback =
        (node, namespace) -> runtime.urlOf(namespace, node).orElse("http://127.0.0.1:9");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operator =
        LatticeOperator.create(
            api.client(),
            OperatorConfig.defaults()
                .withWatchTimings(PROBE_INTERVAL, UNREACHABLE_AFTER, GRACE)
                .withRolloutDeadline(settings.rolloutDeadline()),
            Clock.systemUTC(),
            loopback,
            registry);
    operator.start();
    int operatorPort = settings.operatorPort() == 0 ? LoopbackPorts.free() : settings.operatorPort();
    if (!LoopbackPorts.isFree(operatorPort)) {
      throw new IllegalStateException(
          "port " + operatorPort + " on 127.0.0.1 is already in use: stop whatever listens there, or"
              + " pass --operator-port N (0 picks a free port)");
    }
    operatorEndpoints =
        new HealthServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), operatorPort),
            () -> operator.operator().getRuntimeInfo(),
            registry::scrape);
    progress.accept("operator started; /metrics, /healthz, /readyz at " + operatorUrl());
    // The page kubectl lattice dashboard serves, here with the cluster-admin client of this API.
    if (settings.pagePort() != 0 && !LoopbackPorts.isFree(settings.pagePort())) {
      throw new IllegalStateException(
          "port " + settings.pagePort() + " on 127.0.0.1 is already in use: stop whatever listens there, or"
              + " pass --page-port N (0 picks a free port)");
    }
    statusPage = new StatusPageServer(api.client(), null, settings.pagePort()).start();
    progress.accept("status page at " + statusPageUrl());
    envFile = writeEnv(kubectlCache);
  }

  public KubernetesClient client() {
    return api.client();
  }

  /**
   * Writes one entry to a running node through the node's own API ({@code POST
   * /api/lattice/entries}, the lattice's token from its Secret), as a client of the lattice would;
   * returns the entry's id. Throws {@link IllegalStateException} saying why when the node is not
   * there, not running, its lattice Secret is missing, or the node refuses the write.
   */
  public String write(String namespace, String node, String data) throws IOException, InterruptedException {
    LatticeNode resource = api.client().resources(LatticeNode.class).inNamespace(namespace).withName(node).get();
    if (resource == null) {
      throw new IllegalStateException("no LatticeNode " + namespace + "/" + node);
    }
    String url = runtime.urlOf(namespace, node)
        .orElseThrow(() -> new IllegalStateException(namespace + "/" + node + " has no running process"));
    Secret secret = api.client().secrets().inNamespace(namespace)
        .withName(ResourceNames.latticeSecret(resource.getSpec().getLattice())).get();
    String token = LatticeSecrets.token(secret).orElseThrow(() -> new IllegalStateException(
        "the lattice Secret of " + namespace + "/" + node + " has no token yet"));
    ObjectNode body = JSON.createObjectNode().put("data", data);
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(url + "/api/lattice/entries"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(namespace + "/" + node + " refused the write (" + response.statusCode() + "): "
          + response.body());
    }
    return JSON.readTree(response.body()).at("/ids/0").asText();
  }

  public EmbeddedApiServer api() {
    return api;
  }

  public NodeProcessRuntime runtime() {
    return runtime;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The operator's /metrics, /healthz and /readyz. */
  public String operatorUrl() {
    return "http://127.0.0.1:" + operatorEndpoints.port();
  }

  /** The live status page (the one {@code kubectl lattice dashboard} serves). */
  public String statusPageUrl() {
    return statusPage.url();
  }

  /** What a second terminal sources (see {@link #ENV_FILE}). */
  public Path envFile() {
    return envFile;
  }

  private Path writeEnv(Path kubectlCache) throws IOException {
    Path file = settings.workDir().resolve(ENV_FILE);
    Files.writeString(
        file,
        "# Written by ./lattice-local for this run; source it in a second terminal.\n"
            + "export KUBECONFIG='" + kubeconfig.toAbsolutePath() + "'\n"
            + "# A kubectl discovery cache of this run only.\n"
            + "export KUBECACHEDIR='" + kubectlCache.toAbsolutePath() + "'\n"
            + "# The operator's /metrics, /healthz and /readyz.\n"
            + "export LATTICE_OPERATOR_URL='" + operatorUrl() + "'\n"
            + "# The live status page.\n"
            + "export LATTICE_STATUS_PAGE_URL='" + statusPageUrl() + "'\n"
            + "# Each node's HTTP API: " + settings.workDir().toAbsolutePath() + "/<namespace>/<node>/url\n");
    return file;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public Settings settings() {
    return settings;
  }

  /** Stops the operator, every node process, the collector and the API, in that order. */
  @Override
  public void close() {
    if (statusPage != null) {
      statusPage.close();
    }
    if (operatorEndpoints != null) {
      operatorEndpoints.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (collector != null) {
      collector.close();
    }
    if (api != null) {
      api.close();
    }
  }
}
