package com.diotec360.lattice.operator;

import com.diotec360.lattice.operator.act.MemberActions;
import com.diotec360.lattice.operator.act.SelfHealer;
import com.diotec360.lattice.operator.act.SyncModeEnforcer;
import com.diotec360.lattice.operator.config.InvalidConfigException;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.decision.LatticeDecisions;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.TransitionEvents;
import com.diotec360.lattice.operator.health.HealthServer;
import com.diotec360.lattice.operator.judge.LatticeJudge;
import com.diotec360.lattice.operator.leader.LeaseRelease;
import com.diotec360.lattice.operator.metrics.LatticeMetrics;
import com.diotec360.lattice.operator.observe.DivergenceInspector;
import com.diotec360.lattice.operator.observe.HttpNodeClient;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.ExternalMembers;
import com.diotec360.lattice.operator.observe.NodeObservers;
import com.diotec360.lattice.operator.observe.NodeProber;
import com.diotec360.lattice.operator.observe.NodeReport;
import com.diotec360.lattice.operator.observe.NodeTarget;
import com.diotec360.lattice.operator.observe.ProbeListener;
import com.diotec360.lattice.operator.observe.ServiceDnsResolver;
import com.diotec360.lattice.operator.rbac.Permission;
import com.diotec360.lattice.operator.rbac.RequiredPermissions;
import com.diotec360.lattice.operator.reconcile.DeletedNodes;
import com.diotec360.lattice.operator.reconcile.LatticeNodeReconciler;
import com.diotec360.lattice.operator.reconcile.LatticeReconciler;
import com.diotec360.lattice.operator.validate.KubernetesClusterView;
import com.diotec360.lattice.operator.validate.SpecValidator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: reads its config, builds the JOSDK operator, serves health endpoints and
 * runs until SIGTERM.
 */
public final class LatticeOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LatticeOperator.class);

  /**
   * Server-side apply is off everywhere (see {@link #create}); RBAC depends on it. Measured against
   * JOSDK's SSA-based dependents on a real kube-apiserver (operator/BENCHMARKS.md, "Server-side
   * apply against DesiredState"): SSA made 3% more writes to settle 100 nodes, the same zero while
   * idle and after a restart, 15% more CPU while idle, and needs {@code patch} on every dependent
   * kind. The hand matching of {@code DesiredState} stays.
   */
  public static final boolean SERVER_SIDE_APPLY = false;

  /**
   * What lease-based leader election does with its Lease: JOSDK checks get, create and update at
   * start (a SelfSubjectRulesReview), and fabric8's LeaderElector (7.5.2) renews and takes over
   * the Lease with a JSON merge patch, so patch too; without it a leader cannot renew.
   */
  public static final List<Permission> LEASE_PERMISSIONS =
      Permission.all("coordination.k8s.io", "leases", "get", "create", "update", "patch");

  /**
   * How often the operator's API client pings each connection it has open to the API server
   * (every watch's WebSocket and the HTTP/2 connection of its other requests). A connection
   * without a pong by the next ping is closed, and the watch on it resumes on a new one: a
   * connection that went silent without closing is noticed within two intervals (see {@link
   * #kubernetesClient}).
   */
  public static final Duration API_PING_INTERVAL = Duration.ofSeconds(15);

  /** How long SIGTERM waits for in-flight reconciles before the process exits. */
  public static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(20);

  private final Operator operator;
  private final MeterRegistry registry;
  private final NodeProber prober;
  private final NodeClient nodeClient;
  private final LatticeMetrics metrics;
  private final MemberActions actions;
  private final KubernetesClient client;
  private final RuntimeConfig runtime;
  private final Clock clock;
  /** Set when {@link #close} begins: losing the lease then is the shutdown, not a reason to exit. */
  private final AtomicBoolean stopping;

  private LatticeOperator(
      Operator operator,
      MeterRegistry registry,
      NodeProber prober,
      NodeClient nodeClient,
      LatticeMetrics metrics,
      MemberActions actions,
      KubernetesClient client,
      RuntimeConfig runtime,
      Clock clock,
      AtomicBoolean stopping) {
    this.operator = operator;
    this.registry = registry;
    this.prober = prober;
    this.nodeClient = nodeClient;
    this.metrics = metrics;
    this.actions = actions;
    this.client = client;
    this.runtime = runtime;
    this.clock = clock;
    this.stopping = stopping;
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
    TransitionEvents transitions = new TransitionEvents(events, metrics, config.unreachableAfterProbes());
    ProbeListener listener =
        new ProbeListener() {
          @Override
          public void probed(NodeTarget target, NodeReport report, Duration took) {
            metrics.probed(target, report, took);
          }

          @Override
          public void stoppedProbing(NodeTarget target) {
            metrics.stoppedProbing(target);
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
    AtomicBoolean stopping = new AtomicBoolean();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(SERVER_SIDE_APPLY)
                  .withSSABasedCreateUpdateMatchForDependentResources(SERVER_SIDE_APPLY)
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
                                  // JOSDK would call System.exit on its own thread, also when
                                  // close() stops the elector inside the SIGTERM shutdown hook,
                                  // where System.exit blocks for ever: the process then hangs
                                  // until it is killed. stoppedLeading exits only when leadership
                                  // is lost while running.
                                  .withExitOnStopLeading(false)
                                  // Only the leader probes nodes and exports their series.
                                  .withLeaderCallbacks(
                                      new LeaderCallbacks(
                                          () -> prober.setLeading(true),
                                          () -> stoppedLeading(prober, election, stopping),
                                          leader -> {}))
                                  .build()));
            });
    MemberActions actions = new MemberActions(
        new SyncModeEnforcer(nodeClient, resolver, events, config.probeInterval(), clock),
        new SelfHealer(nodeClient, resolver, events, config.probeInterval(), clock));
    LatticeDecisions decisions = new LatticeDecisions();
    // External members are probed with the same client: it sends their headers and trusts their CA.
    ExternalMembers externals = new ExternalMembers(resolver);
    nodeClient.useAccess(externals::access);
    NodeObservers observers = new NodeObservers(
        prober, resolver, externals, new DivergenceInspector(nodeClient, clock, config.probeInterval()));
    // Whatever keeps something per node forgets it when its LatticeNode is deleted.
    DeletedNodes deleted = new DeletedNodes();
    deleted.onDelete(metrics::forget);
    deleted.onDelete(transitions::forget);
    deleted.onDelete(actions::forget);
    KubernetesClusterView cluster = new KubernetesClusterView(client);
    var reconciler =
        new LatticeNodeReconciler(
            config, new SpecValidator(cluster), events, clock, observers, decisions, transitions,
            actions, deleted);
    var lattices =
        new LatticeReconciler(
            config,
            new LatticeJudge(config.divergenceGrace()),
            observers,
            cluster,
            decisions,
            metrics,
            events,
            clock);
    operator.register(
        reconciler,
        overrider -> {
          if (!config.watchesAllNamespaces()) {
            overrider.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.register(
        lattices,
        overrider -> {
          if (!config.watchesAllNamespaces()) {
            overrider.settingNamespaces(config.watchNamespaces());
          }
        });
    return new LatticeOperator(
        operator, registry, prober, nodeClient, metrics, actions, client, runtime, clock, stopping);
  }

  /**
   * This replica no longer leads: it stops probing, and, unless it is stopping anyway, ends the
   * process (when so configured, always in a pod): JOSDK cannot pause reconciling, so a replica
   * that lost its lease must not run on; Kubernetes restarts it as a standby. The exit runs on a
   * thread of its own, so the shutdown hook does not wait for the elector's thread.
   */
  private static void stoppedLeading(
      NodeProber prober, RuntimeConfig.LeaderElection election, AtomicBoolean stopping) {
    prober.setLeading(false);
    if (election.exitOnStopLeading() && !stopping.get()) {
      LOG.info("lost the leader lease as {}: exiting, to come back as a standby", election.identity());
      Thread exit = new Thread(() -> System.exit(1), "lost-leadership-exit");
      exit.start();
    }
  }

  /**
   * Every kind of object the operator makes (the dependents of both reconcilers' workflows), each
   * owned by a LatticeNode or a Lattice: what a garbage collector must look at.
   */
  public static List<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> ownedKinds() {
    List<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> kinds =
        new ArrayList<>(RequiredPermissions.ownedKinds(LatticeNodeReconciler.class));
    RequiredPermissions.ownedKinds(LatticeReconciler.class).stream()
        .filter(k -> !kinds.contains(k))
        .forEach(kinds::add);
    return kinds;
  }

  /**
   * Every API permission this operator needs, derived from the reconciler's workflow and the
   * classes it wires in: the chart's RBAC rules are tested against this set.
   */
  public static SortedSet<Permission> requiredPermissions(boolean leaderElection) {
    SortedSet<Permission> all = new java.util.TreeSet<>();
    all.addAll(RequiredPermissions.of(
        LatticeNodeReconciler.class,
        SERVER_SIDE_APPLY,
        EventRecorder.PERMISSIONS,
        KubernetesClusterView.PERMISSIONS,
        LatticeNodeReconciler.PERMISSIONS,
        leaderElection ? LEASE_PERMISSIONS : List.of()));
    all.addAll(RequiredPermissions.of(
        LatticeReconciler.class,
        SERVER_SIDE_APPLY,
        EventRecorder.PERMISSIONS,
        KubernetesClusterView.PERMISSIONS,
        LatticeReconciler.PERMISSIONS));
    return all;
  }

  /**
   * The operator's API client: configured as fabric8 finds it (kubeconfig, or the pod's service
   * account), on fabric8's OkHttp transport, pinging every {@link #API_PING_INTERVAL}.
   *
   * <p>Why: a watch whose connection goes silent without closing (a NAT or load balancer that
   * forgot it, a peer that vanished without a FIN or RST) never ends by itself, and the informer
   * behind it sees nothing more: no change is reconciled until fabric8's own watch timer restarts
   * the watch, 5 to 10 minutes later. Only the client can notice, and only by asking: a ping, a
   * read timeout or a shorter watch timeout. fabric8 7.5.2 offers the ping alone, and only on
   * OkHttp: its JDK transport ignores {@code websocketPingInterval} (the JDK's WebSocket and
   * HTTP/2 client have no ping timer), its request timeout ends when the response headers arrive
   * (a watch's come at once), the JDK has no read timeout, and the informers' watch timeout is not
   * configurable. OkHttp's {@code pingInterval} covers WebSockets (the watches) and HTTP/2
   * connections (every other request: with the JDK transport, one dead HTTP/2 connection made
   * every request time out). Checked on a real API server by faults' SilentWatchIT.
   */
  public static KubernetesClient kubernetesClient() {
    Config config = Config.autoConfigure(null);
    config.setWebsocketPingInterval(API_PING_INTERVAL.toMillis());
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new OkHttpClientFactory())
        .build();
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
   * Stops the operator and releases what it created: prober threads, the threads that call nodes (self-heal, sync-mode switch),
   * node client, node series, and, last, the leader Lease when it holds one ({@link
   * LeaseRelease}), so a standby takes over at its next try instead of when the lease expires.
   *
   * <p>The order matters: {@code Operator.stop()} stops the informers, waits up to {@link
   * #RECONCILE_TERMINATION_TIMEOUT} for in-flight reconciles and only then stops renewing the
   * Lease; the prober and the node actions stop next. Only then is nothing done under the lease any
   * more, and it may be released. If the reconciles did not finish in time, some may still be
   * writing: the Lease is then kept and expires by itself.
   */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return; // closed already (a test, or the shutdown hook after a stop)
    }
    long started = System.nanoTime();
    operator.stop();
    boolean reconcilesEnded =
        Duration.ofNanos(System.nanoTime() - started).compareTo(RECONCILE_TERMINATION_TIMEOUT) < 0;
    prober.close();
    actions.close();
    nodeClient.close();
    metrics.forgetAll();
    runtime
        .leaderElection()
        .ifPresent(
            election -> {
              if (reconcilesEnded) {
                LeaseRelease.release(
                    client,
                    election.leaseNamespace().orElseGet(() -> client.getConfiguration().getNamespace()),
                    election.leaseName(),
                    election.identity(),
                    clock);
              } else {
                LOG.warn(
                    "leader lease kept: reconciles were still running after {} s; a standby takes"
                        + " over when it expires",
                    RECONCILE_TERMINATION_TIMEOUT.toSeconds());
              }
            });
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    run(new ServiceDnsResolver());
  }

  /**
   * What {@link #main} does, with the nodes reached where {@code resolver} says instead of at
   * their Service DNS names: reads the config from the environment (exits with 2 on a bad value),
   * serves health and metrics, runs until SIGTERM. Only tests pass another resolver: on a machine
   * without cluster DNS, the nodes a test runs on loopback are found through it (faults'
   * TwoClusterLatticeIT runs two operator processes this way).
   */
  public static void run(NodeAddressResolver resolver) throws IOException, InterruptedException {
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
    KubernetesClient client = kubernetesClient();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int idle = Math.max(16, config.probeConcurrency() * 2);
    LatticeOperator lattice =
        create(
            client,
            config,
            runtime,
            Clock.systemUTC(),
            resolver,
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
