package com.diotec360.lattice.operator;

import com.diotec360.lattice.operator.config.InvalidConfigException;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.health.HealthServer;
import com.diotec360.lattice.operator.reconcile.KubernetesClusterView;
import com.diotec360.lattice.operator.reconcile.LatticeNodeReconciler;
import com.diotec360.lattice.operator.reconcile.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: reads its config, builds the JOSDK operator, serves health endpoints and
 * runs until SIGTERM.
 */
public final class LatticeOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LatticeOperator.class);

  private final Operator operator;

  private LatticeOperator(Operator operator) {
    this.operator = operator;
  }

  /**
   * Builds (does not start) the operator on a client. Server-side apply is off everywhere, for
   * the primary's status and for dependents: the test API server (fabric8 mock) has none, and
   * what runs in tests must be what runs on a cluster. Dependents are matched and updated by the
   * JOSDK's client-side comparison instead.
   */
  public static LatticeOperator create(KubernetesClient client, OperatorConfig config, Clock clock) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withStopOnInformerErrorDuringStartup(false)
                    .withCacheSyncTimeout(Duration.ofMinutes(2))
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(20)));
    var reconciler =
        new LatticeNodeReconciler(
            config,
            new SpecValidator(new KubernetesClusterView(client)),
            new EventRecorder(client, clock),
            clock);
    operator.register(
        reconciler,
        overrider -> {
          if (!config.watchesAllNamespaces()) {
            overrider.settingNamespaces(config.watchNamespaces());
          }
        });
    return new LatticeOperator(operator);
  }

  public void start() {
    operator.start();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (InvalidConfigException e) {
      e.problems().forEach(p -> System.err.println("lattice-operator: " + p));
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    LatticeOperator lattice = create(client, config, Clock.systemUTC());
    HealthServer health =
        new HealthServer(
            new InetSocketAddress(config.httpPort()),
            () -> lattice.operator().getRuntimeInfo(),
            null);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping: finishing in-flight reconciles");
                  lattice.close();
                  health.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    lattice.start();
    LOG.info(
        "lattice-operator started; watching {}; health on :{}",
        config.watchesAllNamespaces() ? "all namespaces" : config.watchNamespaces(),
        health.port());
    stopped.await();
  }
}
