package com.diotec360.lattice.operator;

import com.diotec360.lattice.operator.config.InvalidConfigException;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.health.HealthServer;
import com.diotec360.lattice.operator.rbac.Permission;
import com.diotec360.lattice.operator.rbac.RequiredPermissions;
import com.diotec360.lattice.operator.reconcile.KubernetesClusterView;
import com.diotec360.lattice.operator.reconcile.LatticeNodeReconciler;
import com.diotec360.lattice.operator.reconcile.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: reads its config, builds the JOSDK operator, serves health endpoints and
 * runs until SIGTERM.
 */
public final class LatticeOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LatticeOperator.class);

  /** Server-side apply is off everywhere (see {@link #create}); RBAC depends on it. */
  public static final boolean SERVER_SIDE_APPLY = false;

  /** What JOSDK's lease-based leader election does with its Lease (it checks these at start). */
  public static final List<Permission> LEASE_PERMISSIONS =
      Permission.all("coordination.k8s.io", "leases", "get", "create", "update");

  /** How long SIGTERM waits for in-flight reconciles before the process exits. */
  public static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(20);

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
    return create(client, config, RuntimeConfig.defaults(), clock);
  }

  /** As {@link #create(KubernetesClient, OperatorConfig, Clock)}, with leader election if set. */
  public static LatticeOperator create(
      KubernetesClient client, OperatorConfig config, RuntimeConfig runtime, Clock clock) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(SERVER_SIDE_APPLY)
                  .withSSABasedCreateUpdateMatchForDependentResources(SERVER_SIDE_APPLY)
                  .withStopOnInformerErrorDuringStartup(false)
                  .withCacheSyncTimeout(Duration.ofMinutes(2))
                  .withReconciliationTerminationTimeout(RECONCILE_TERMINATION_TIMEOUT);
              runtime
                  .leaderElection()
                  .ifPresent(
                      election ->
                          o.withLeaderElectionConfiguration(
                              LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                      election.leaseName())
                                  .withLeaseNamespace(election.leaseNamespace().orElse(null))
                                  .withIdentity(election.identity())
                                  .build()));
            });
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

  /**
   * Every API permission this operator needs, derived from the reconciler's workflow and the
   * classes it wires in: the chart's RBAC rules are tested against this set.
   */
  public static SortedSet<Permission> requiredPermissions(boolean leaderElection) {
    return RequiredPermissions.of(
        LatticeNodeReconciler.class,
        SERVER_SIDE_APPLY,
        EventRecorder.PERMISSIONS,
        KubernetesClusterView.PERMISSIONS,
        leaderElection ? LEASE_PERMISSIONS : List.of());
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
    List<String> problems = new ArrayList<>();
    OperatorConfig config = null;
    RuntimeConfig runtime = null;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (InvalidConfigException e) {
      problems.addAll(e.problems());
    }
    try {
      runtime = RuntimeConfig.fromEnv(System.getenv());
    } catch (InvalidConfigException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("lattice-operator: " + p));
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    LatticeOperator lattice = create(client, config, runtime, Clock.systemUTC());
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
                  // Operator.stop() stops the informers, then waits up to
                  // RECONCILE_TERMINATION_TIMEOUT for in-flight reconciles; the chart's
                  // terminationGracePeriodSeconds is longer than that.
                  LOG.info("stopping: finishing in-flight reconciles");
                  lattice.close();
                  health.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    lattice.start();
    LOG.info(
        "lattice-operator started; watching {}; health on :{}; leader election {}",
        config.watchesAllNamespaces() ? "all namespaces" : config.watchNamespaces(),
        health.port(),
        runtime.leaderElection().map(e -> "on as " + e.identity()).orElse("off"));
    stopped.await();
  }
}
