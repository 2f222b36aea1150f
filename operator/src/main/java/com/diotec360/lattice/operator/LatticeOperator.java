package com.diotec360.lattice.operator;

import com.diotec360.lattice.operator.config.InvalidConfigException;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.health.HealthServer;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.metrics.LatticeMetrics;
import com.diotec360.lattice.operator.observe.HttpNodeClient;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeProber;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeTarget;
import com.diotec360.lattice.operator.observe.ProbeListener;
import com.diotec360.lattice.operator.observe.ServiceDnsResolver;
import com.diotec360.lattice.operator.reconcile.LatticeWatch;
import com.diotec360.lattice.operator.reconcile.NodeWatching;
import com.diotec360.lattice.operator.reconcile.SyncModeEnforcer;
import com.diotec360.lattice.operator.reconcile.WatchEvents;
import com.diotec360.lattice.operator.rbac.Permission;
import com.diotec360.lattice.operator.rbac.RequiredPermissions;
import com.diotec360.lattice.operator.observe.DivergenceInspector;
import com.diotec360.lattice.operator.reconcile.KubernetesClusterView;
import com.diotec360.lattice.operator.reconcile.SelfHealer;
import com.diotec360.lattice.operator.reconcile.dependents.LatticeSharedDependent;
import com.diotec360.lattice.operator.reconcile.LatticeNodeReconciler;
import com.diotec360.lattice.operator.reconcile.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
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

  /**
   * EXPERIMENT (branch bench, issue 20 item 4; not for production): with
   * {@code -Dlattice.experiment.ssaDependents=true} dependents are created, updated and matched
   * with JOSDK's server-side apply instead of {@code DesiredState} (the primary's status is still
   * replaced through PUT), so the two can be measured on a real API server. Needs {@code patch}
   * on the dependents' kinds, which the chart does not grant. Off by default.
   */
  static final boolean SSA_DEPENDENTS_EXPERIMENT = Boolean.getBoolean("lattice.experiment.ssaDependents");

  /**
   * What lease-based leader election does with its Lease: JOSDK checks get, create and update at
   * start (a SelfSubjectRulesReview), and fabric8's LeaderElector (7.5.2) renews and takes over
   * the Lease with a JSON merge patch, so patch too; without it a leader cannot renew.
   */
  public static final List<Permission> LEASE_PERMISSIONS =
      Permission.all("coordination.k8s.io", "leases", "get", "create", "update", "patch");

  /** How long SIGTERM waits for in-flight reconciles before the process exits. */
  public static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(20);

  private final Operator operator;
  private final MeterRegistry registry;
  private final NodeProber prober;
  private final NodeClient nodeClient;
  private final LatticeMetrics metrics;
  private final SelfHealer healer;

  private LatticeOperator(
      Operator operator,
      MeterRegistry registry,
      NodeProber prober,
      NodeClient nodeClient,
      LatticeMetrics metrics,
      SelfHealer healer) {
    this.operator = operator;
    this.registry = registry;
    this.prober = prober;
    this.nodeClient = nodeClient;
    this.metrics = metrics;
    this.healer = healer;
  }

  /** Builds the operator probing nodes at their Service DNS names, with in-memory metrics. */
  public static LatticeOperator create(KubernetesClient client, OperatorConfig config, Clock clock) {
    return create(client, config, clock, new ServiceDnsResolver(), new SimpleMeterRegistry());
  }

  /** Builds the operator probing nodes over HTTP at the resolver's addresses. */
  public static LatticeOperator create(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      NodeAddressResolver resolver,
      MeterRegistry registry) {
    int idle = Math.max(16, config.probeConcurrency() * 2);
    return create(
        client,
        config,
        RuntimeConfig.defaults(),
        clock,
        resolver,
        registry,
        new HttpNodeClient(config.probeTimeout(), idle));
  }

  /**
   * Builds (does not start) the operator on a client. Server-side apply is off everywhere, for
   * the primary's status and for dependents: the test API server (fabric8 mock) has none, and
   * what runs in tests must be what runs on a cluster. Dependents are matched and updated by the
   * JOSDK's client-side comparison instead. The operator owns {@code nodeClient} and closes it.
   */
  public static LatticeOperator create(
      KubernetesClient client,
      OperatorConfig config,
      RuntimeConfig runtime,
      Clock clock,
      NodeAddressResolver resolver,
      MeterRegistry registry,
      NodeClient nodeClient) {
    EventRecorder events = new EventRecorder(client, clock);
    LatticeMetrics metrics = new LatticeMetrics(registry);
    WatchEvents watchEvents = new WatchEvents(events, metrics, config.unreachableAfterProbes());
    SyncModeEnforcer enforcer =
        new SyncModeEnforcer(nodeClient, resolver, events, config.probeInterval(), clock);
    // A node the prober no longer finds is gone: the reconciler (made below, as it needs the
    // prober) forgets it everywhere it kept something of it.
    AtomicReference<LatticeNodeReconciler> forgetting = new AtomicReference<>();
    ProbeListener listener =
        new ProbeListener() {
          @Override
          public void probed(NodeTarget target, NodeReport report, Duration took) {
            metrics.probed(target, report, took);
          }

          @Override
          public void forgotten(NodeTarget target) {
            metrics.forgotten(target);
            LatticeNodeReconciler reconciler = forgetting.get();
            if (reconciler != null) {
              reconciler.forget(target.id());
            }
          }
        };
    NodeProber prober =
        new NodeProber(
            nodeClient,
            config.probeInterval(),
            config.unreachableAfterProbes(),
            config.probeConcurrency(),
            clock,
            listener);
    runtime.leaderElection().ifPresent(election -> prober.setLeading(false));
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(SERVER_SIDE_APPLY)
                  .withSSABasedCreateUpdateMatchForDependentResources(
                      SERVER_SIDE_APPLY || SSA_DEPENDENTS_EXPERIMENT)
                  .withStopOnInformerErrorDuringStartup(false)
                  .withCacheSyncTimeout(Duration.ofMinutes(2))
                  .withReconciliationTerminationTimeout(RECONCILE_TERMINATION_TIMEOUT)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              runtime
                  .leaderElection()
                  .ifPresent(
                      election ->
                          o.withLeaderElectionConfiguration(
                              LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                      election.leaseName())
                                  .withLeaseNamespace(election.leaseNamespace().orElse(null))
                                  .withIdentity(election.identity())
                                  .withExitOnStopLeading(election.exitOnStopLeading())
                                  // Only the leader probes nodes and exports their series.
                                  .withLeaderCallbacks(
                                      new LeaderCallbacks(
                                          () -> prober.setLeading(true),
                                          () -> prober.setLeading(false),
                                          leader -> {}))
                                  .build()));
            });
    SelfHealer healer = new SelfHealer(nodeClient, resolver, events, config.probeInterval(), clock);
    NodeWatching watching =
        new NodeWatching(
            prober,
            resolver,
            new LatticeWatch(new LatticeJudge(config.divergenceGrace()), prober),
            watchEvents,
            enforcer,
            new DivergenceInspector(nodeClient, clock, config.probeInterval()),
            healer);
    var reconciler =
        new LatticeNodeReconciler(
            config,
            new SpecValidator(new KubernetesClusterView(client)),
            events,
            clock,
            watching);
    forgetting.set(reconciler);
    operator.register(
        reconciler,
        overrider -> {
          if (!config.watchesAllNamespaces()) {
            overrider.settingNamespaces(config.watchNamespaces());
          }
        });
    return new LatticeOperator(operator, registry, prober, nodeClient, metrics, healer);
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
        LatticeSharedDependent.PERMISSIONS,
        leaderElection ? LEASE_PERMISSIONS : List.of());
  }

  public void start() {
    operator.start();
  }

  public Operator operator() {
    return operator;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The lattice metrics (tests check that deleted nodes leave no series behind). */
  public LatticeMetrics metrics() {
    return metrics;
  }

  /** The prober (tests check that only the leader probes). */
  public NodeProber prober() {
    return prober;
  }

  /**
   * Stops the operator and releases what it created: prober threads, the self-heal resync thread,
   * node client, node series.
   */
  @Override
  public void close() {
    operator.stop();
    prober.close();
    healer.close();
    nodeClient.close();
    metrics.forgetAll();
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
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int idle = Math.max(16, config.probeConcurrency() * 2);
    LatticeOperator lattice =
        create(
            client,
            config,
            runtime,
            Clock.systemUTC(),
            new ServiceDnsResolver(),
            registry,
            new HttpNodeClient(config.probeTimeout(), idle));
    HealthServer health =
        new HealthServer(
            new InetSocketAddress(config.httpPort()),
            () -> lattice.operator().getRuntimeInfo(),
            registry::scrape);
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
        "lattice-operator started; watching {}; probing nodes every {}s; health and metrics on :{};"
            + " leader election {}",
        config.watchesAllNamespaces() ? "all namespaces" : config.watchNamespaces(),
        config.probeInterval().toSeconds(),
        health.port(),
        runtime.leaderElection().map(e -> "on as " + e.identity()).orElse("off"));
    stopped.await();
  }
}
