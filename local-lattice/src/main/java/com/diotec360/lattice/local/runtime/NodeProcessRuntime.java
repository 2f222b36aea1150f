package com.diotec360.lattice.local.runtime;

import com.diotec360.lattice.local.LoopbackPorts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the kubelet and the Deployment controller: each operator-owned node Deployment
 * becomes one reference-node process on a loopback port. Every tick it starts what is missing,
 * restarts a process whose pod template changed (or that exited, with back-off), stops what has no
 * Deployment any more, keeps each node's peer file equal to its peer-list ConfigMap (with Service
 * URLs rewritten to loopback URLs), and reports readiness as Deployment status.
 */
public final class NodeProcessRuntime implements AutoCloseable {

  /** The Deployments this runtime runs: the operator's node Deployments. */
  public static final String NODE_DEPLOYMENTS =
      "app.kubernetes.io/managed-by=lattice-operator,app.kubernetes.io/component=node";

  private static final Logger LOG = LoggerFactory.getLogger(NodeProcessRuntime.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * What the runtime knows of one Deployment. The port stays across restarts (peers and the operator
   * keep their URL) unless another program took it while the node was down; then the next start moves
   * the node to a new port, and {@link #urlOf} and the peer files follow because they read it here.
   */
  private static final class Slot {
    final String namespace;
    final String name;
    /** Written only by the runtime thread, just before a start; read by {@link #urlOf} from anywhere. */
    volatile int httpPort;
    volatile NodeProcess process;
    volatile boolean ready;
    volatile String problem;
    Instant retryAt = Instant.MIN;
    Duration backoff = Duration.ofSeconds(1);
    int restarts;

    Slot(String namespace, String name, int httpPort) {
      this.namespace = namespace;
      this.name = name;
      this.httpPort = httpPort;
    }
  }

  private final KubernetesClient client;
  private final Path nodeJar;
  private final Path root;
  private final Duration tick;
  private final PodEnvironment podEnvironment;
  private final DeploymentStatusWriter statusWriter;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final List<ProcessEvent> history = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * A node process started or stopped, as kubelet would record a pod's container starting and
   * ending.
   */
  public record ProcessEvent(String namespace, String name, boolean started, Instant at) {}
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "node-runtime");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<Deployment> deployments;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<ConfigMap> configMaps;
  private volatile boolean closed;

  /**
   * @param nodeJar the reference node's runnable jar
   * @param root where each node's state, peer file and log live: {@code <root>/<ns>/<node>/}
   */
  public NodeProcessRuntime(KubernetesClient client, Path nodeJar, Path root, Duration tick) {
    this.client = client;
    this.nodeJar = nodeJar;
    this.root = root;
    this.tick = tick;
    this.podEnvironment = new PodEnvironment(client);
    this.statusWriter = new DeploymentStatusWriter(client);
  }

  public void start() {
    deployments = client.apps().deployments().inAnyNamespace().withLabelSelector(NODE_DEPLOYMENTS).inform();
    services = client.services().inAnyNamespace().inform();
    configMaps = client.configMaps().inAnyNamespace().inform();
    executor.scheduleWithFixedDelay(this::tickQuietly, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The loopback base URL of a node's process (its Service's stand-in), once one is assigned. */
  public Optional<String> urlOf(String namespace, String nodeName) {
    return Optional.ofNullable(slots.get(key(namespace, nodeName))).map(s -> loopbackUrl(s.httpPort));
  }

  /** True while a process runs for the node. */
  public boolean isRunning(String namespace, String nodeName) {
    Slot slot = slots.get(key(namespace, nodeName));
    return slot != null && slot.process != null && slot.process.isAlive();
  }

  /** Why a node does not run, if something stops it (missing Secret, exited process, ...). */
  public Optional<String> problemOf(String namespace, String nodeName) {
    return Optional.ofNullable(slots.get(key(namespace, nodeName))).map(s -> s.problem);
  }

  /** Every start and stop of a node process so far, oldest first. */
  public List<ProcessEvent> history() {
    return List.copyOf(history);
  }

  /** Where a node's files live: state, vault, sentinel, peer file and {@code node.log}. */
  public Path directoryOf(String namespace, String nodeName) {
    return root.resolve(namespace).resolve(nodeName);
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (KubernetesClientException e) {
      LOG.warn("node runtime: API call failed, retrying next tick: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("node runtime: tick failed, retrying", e);
    }
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    List<Deployment> current = deployments.getStore().list();
    for (Deployment d : current) {
      String namespace = d.getMetadata().getNamespace();
      String name = d.getMetadata().getName();
      slots.computeIfAbsent(key(namespace, name), k -> new Slot(namespace, name, LoopbackPorts.free()));
    }
    for (Deployment d : current) {
      runOne(d, slots.get(key(d.getMetadata().getNamespace(), d.getMetadata().getName())));
    }
    for (var entry : Map.copyOf(slots).entrySet()) {
      Slot slot = entry.getValue();
      if (deployments.getStore().getByKey(Cache.namespaceKeyFunc(slot.namespace, slot.name)) == null) {
        LOG.info("{}/{}: Deployment deleted, stopping its node", slot.namespace, slot.name);
        stop(slot);
        slots.remove(entry.getKey());
      }
    }
  }

  private void runOne(Deployment d, Slot slot) {
    Integer replicas = d.getSpec().getReplicas();
    if (replicas != null && replicas == 0) {
      stop(slot);
      slot.problem = "scaled to 0 replicas";
      report(d, slot);
      return;
    }
    String hash = templateHash(d);
    NodeProcess process = slot.process;
    if (process != null && !process.templateHash().equals(hash)) {
      LOG.info("{}/{}: pod template changed, restarting the node", slot.namespace, slot.name);
      stop(slot);
      slot.restarts = 0;
      slot.backoff = Duration.ofSeconds(1);
      slot.retryAt = Instant.MIN;
      process = null;
    }
    if (process != null && !process.isAlive()) {
      slot.problem = "node process exited with code " + process.exitCode() + "; see " + process.log();
      LOG.warn("{}/{}: {}", slot.namespace, slot.name, slot.problem);
      slot.process = null;
      slot.ready = false;
      slot.restarts++;
      slot.retryAt = Instant.now().plus(slot.backoff);
      slot.backoff = min(slot.backoff.multipliedBy(2), MAX_BACKOFF);
      process = null;
    }
    if (process == null && !Instant.now().isBefore(slot.retryAt)) {
      startProcess(d, slot, hash);
    }
    if (slot.process != null) {
      writePeerFile(d, slot);
      slot.ready = slot.process.isAlive() && NodeProcess.healthy(http, slot.httpPort);
      if (slot.ready) {
        slot.problem = null;
        slot.backoff = Duration.ofSeconds(1);
      }
    }
    report(d, slot);
  }

  private void startProcess(Deployment d, Slot slot, String hash) {
    Map<String, String> env;
    try {
      env = podEnvironment.resolve(d);
    } catch (PodEnvironment.UnresolvedReference e) {
      if (!Objects.equals(slot.problem, e.getMessage())) {
        LOG.info("{}/{}: waiting: {}", slot.namespace, slot.name, e.getMessage());
      }
      slot.problem = e.getMessage();
      return;
    }
    Path dir = directoryOf(slot.namespace, slot.name);
    ensureFreePort(slot);
    PeerUrlRewriter rewriter = rewriter(slot.namespace);
    env.put("DIOTEC360_BIND_ADDRESS", "127.0.0.1");
    env.put("DIOTEC360_HTTP_PORT", Integer.toString(slot.httpPort));
    // Every node in-cluster listens on the same P2P port; here each needs its own. Peers learn it
    // from GET /api/lattice/p2p/status, so the kernel may pick it.
    env.put("DIOTEC360_P2P_PORT", "0");
    env.put("DIOTEC360_STATE_DIR", dir.resolve("state").toString());
    env.put("DIOTEC360_VAULT_DIR", dir.resolve("vault").toString());
    env.put("DIOTEC360_SENTINEL_DIR", dir.resolve("sentinel").toString());
    env.put("DIOTEC360_PEERS_FILE", dir.resolve("peers").toString());
    env.put("DIOTEC360_PEERS_FILE_POLL_MS", "500");
    env.computeIfPresent("DIOTEC360_LATTICE_NODES", (k, v) -> rewriter.rewriteCommaList(v));
    try {
      Files.createDirectories(dir);
      writePeerFile(d, slot);
      slot.process = NodeProcess.start(nodeJar, env, hash, dir.resolve("node.log"));
      slot.ready = false;
      history.add(new ProcessEvent(slot.namespace, slot.name, true, Instant.now()));
      // For people and scripts: curl "$(cat <work-dir>/<namespace>/<node>/url)/health"
      Files.writeString(dir.resolve("url"), loopbackUrl(slot.httpPort) + "\n");
      LOG.info(
          "{}/{}: started node process pid {} on {}",
          slot.namespace, slot.name, slot.process.pid(), loopbackUrl(slot.httpPort));
    } catch (IOException e) {
      slot.problem = "cannot start the node process: " + e.getMessage();
      LOG.warn("{}/{}: {}", slot.namespace, slot.name, slot.problem);
      slot.retryAt = Instant.now().plus(slot.backoff);
    }
  }

  /**
   * Moves the node to a new loopback port when its remembered one is no longer free (another program
   * bound it while the node was stopped or restarting); without this the node would exit on start
   * again and again. Everything else reads the port from the slot, so the URL {@link #urlOf} answers
   * and the peer files written on this and later ticks follow the move.
   */
  private static void ensureFreePort(Slot slot) {
    if (LoopbackPorts.isFree(slot.httpPort)) {
      return;
    }
    int taken = slot.httpPort;
    slot.httpPort = LoopbackPorts.free();
    LOG.info(
        "{}/{}: port {} is in use by another program; the node moves to {}",
        slot.namespace, slot.name, taken, loopbackUrl(slot.httpPort));
  }

  private void writePeerFile(Deployment d, Slot slot) {
    Optional<MountedConfigMapKey> source =
        MountedConfigMapKey.of(d, containerEnvValue(d, "DIOTEC360_PEERS_FILE"));
    String content =
        source
            .map(s -> configMaps.getStore().getByKey(Cache.namespaceKeyFunc(slot.namespace, s.configMap())))
            .map(cm -> cm.getData() == null ? null : cm.getData().get(source.get().key()))
            .map(rewriter(slot.namespace)::rewriteLines)
            .orElse("");
    Path file = directoryOf(slot.namespace, slot.name).resolve("peers");
    try {
      if (!Files.exists(file) || !Files.readString(file).equals(content)) {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("peers.tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      LOG.warn("{}/{}: cannot write the peer file {}: {}", slot.namespace, slot.name, file, e.getMessage());
    }
  }

  /** The container path of the peer file as the pod would see it (from its config ConfigMap). */
  private String containerEnvValue(Deployment d, String name) {
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    for (var from : Objects.requireNonNullElse(container.getEnvFrom(), List.<io.fabric8.kubernetes.api.model.EnvFromSource>of())) {
      if (from.getConfigMapRef() != null) {
        ConfigMap cm =
            configMaps.getStore().getByKey(
                Cache.namespaceKeyFunc(d.getMetadata().getNamespace(), from.getConfigMapRef().getName()));
        if (cm != null && cm.getData() != null && cm.getData().containsKey(name)) {
          return cm.getData().get(name);
        }
      }
    }
    return null;
  }

  private PeerUrlRewriter rewriter(String namespace) {
    return new PeerUrlRewriter(namespace, this::serviceUrl);
  }

  /** The loopback URL behind a Service: the node whose pod labels its selector matches. */
  private Optional<String> serviceUrl(PeerUrlRewriter.ServiceRef ref) {
    Service service = services.getStore().getByKey(Cache.namespaceKeyFunc(ref.namespace(), ref.name()));
    if (service == null || service.getSpec() == null || service.getSpec().getSelector() == null
        || service.getSpec().getSelector().isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> selector = service.getSpec().getSelector();
    return deployments.getStore().list().stream()
        .filter(d -> d.getMetadata().getNamespace().equals(ref.namespace()))
        .filter(d -> labelsMatch(d.getSpec().getTemplate().getMetadata().getLabels(), selector))
        .map(d -> slots.get(key(ref.namespace(), d.getMetadata().getName())))
        .filter(Objects::nonNull)
        .sorted(java.util.Comparator.comparing(s -> s.name))
        .findFirst()
        .map(s -> loopbackUrl(s.httpPort));
  }

  private static boolean labelsMatch(Map<String, String> labels, Map<String, String> selector) {
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  private void report(Deployment d, Slot slot) {
    boolean running = slot.process != null && slot.process.isAlive();
    String message =
        slot.ready
            ? "node process running on " + loopbackUrl(slot.httpPort)
            : Objects.requireNonNullElse(slot.problem, running ? "node process starting" : "node process not running");
    Deployment latest = deployments.getStore().getByKey(Cache.metaNamespaceKeyFunc(d));
    if (latest != null) {
      statusWriter.report(latest, running, slot.ready, message);
    }
  }

  private void stop(Slot slot) {
    NodeProcess process = slot.process;
    if (process != null) {
      history.add(new ProcessEvent(slot.namespace, slot.name, false, Instant.now()));
      process.stop(STOP_GRACE);
      LOG.info("{}/{}: node process {} stopped", slot.namespace, slot.name, process.pid());
    }
    slot.process = null;
    slot.ready = false;
  }

  /** A short hash of the pod template: a change means a new pod, so a restart. */
  static String templateHash(Deployment d) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Serialization.asJson(d.getSpec().getTemplate()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static String loopbackUrl(int port) {
    return "http://127.0.0.1:" + port;
  }

  /** Stops every node process (in parallel) and the informers. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    executor.shutdownNow();
    slots.values().parallelStream().forEach(this::stop);
    slots.clear();
    for (var informer : new SharedIndexInformer<?>[] {deployments, services, configMaps}) {
      if (informer != null) {
        informer.close();
      }
    }
  }
}
