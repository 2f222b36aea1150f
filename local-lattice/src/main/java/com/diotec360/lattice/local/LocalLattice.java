package com.diotec360.lattice.local;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.local.gc.OwnerReferenceCollector;
import com.diotec360.lattice.local.runtime.NodeProcessRuntime;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A whole lattice on one machine: the embedded API, owner-reference garbage collection, the node
 * runtime and the operator, started in that order and stopped in reverse.
 */
public final class LocalLattice implements AutoCloseable {

  /** Where and how to run. */
  public record Settings(int apiPort, Path workDir, Path nodeJar, String namespace) {}

  /** Faster than a cluster's defaults (10 s, 3, 60 s): a local lattice is for watching it react. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

  static final int UNREACHABLE_AFTER = 3;
  static final Duration GRACE = Duration.ofSeconds(15);

  /** Where the operator jar carries the generated CRD. */
  public static final String CRD_RESOURCE = "/META-INF/fabric8/latticenodes.lattice.diotec360.com-v1.yml";

  private final Settings settings;
  private EmbeddedApiServer api;
  private OwnerReferenceCollector collector;
  private NodeProcessRuntime runtime;
  private LatticeOperator operator;
  private Path kubeconfig;

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
    progress.accept("starting the embedded Kubernetes API on 127.0.0.1:" + settings.apiPort());
    api = EmbeddedApiServer.start(settings.apiPort(), Crds.fromClasspath(CRD_RESOURCE));
    Files.createDirectories(settings.workDir());
    kubeconfig = api.writeKubeconfig(settings.workDir().resolve("kubeconfig"), settings.namespace());
    progress.accept("API at " + api.url() + ", LatticeNode CRD registered, kubeconfig " + kubeconfig);

    collector = new OwnerReferenceCollector(api.client(), Duration.ofSeconds(2));
    collector.start();
    runtime = new NodeProcessRuntime(api.client(), settings.nodeJar(), settings.workDir(), Duration.ofSeconds(1));
    runtime.start();
    progress.accept("node runtime started (node files under " + settings.workDir() + ")");

    // The operator probes each node where the runtime runs it. A node with no process resolves to
    // the discard port, where the connection is refused: the operator reports it unreachable.
    NodeAddressResolver loopback =
        (node, namespace) -> runtime.urlOf(namespace, node).orElse("http://127.0.0.1:9");
    operator =
        LatticeOperator.create(
            api.client(),
            OperatorConfig.defaults().withWatchTimings(PROBE_INTERVAL, UNREACHABLE_AFTER, GRACE),
            Clock.systemUTC(),
            loopback,
            new SimpleMeterRegistry());
    operator.start();
    progress.accept("operator started");
  }

  public KubernetesClient client() {
    return api.client();
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

  public Settings settings() {
    return settings;
  }

  /** Stops the operator, every node process, the collector and the API, in that order. */
  @Override
  public void close() {
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
