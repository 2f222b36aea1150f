package com.diotec360.lattice.realapi;

import com.diotec360.lattice.embedded.Writes;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on loopback for tests: etcd, kube-apiserver and, when asked,
 * kube-controller-manager (garbage collection, Deployment → ReplicaSet → Pod, PDB status,
 * EndpointSlices), started from the {@link KubeAssets} binaries on free ports. Nothing schedules
 * or runs pods: they stay {@code Pending}.
 *
 * <ul>
 *   <li>Identities are real: {@link #client()} is cluster-admin (a client certificate in
 *       {@code system:masters}); {@link #credentialsFor} makes a certificate for any user and
 *       groups; {@link #serviceAccount} a TokenRequest token for a ServiceAccount. Everything but
 *       the admin is held to RBAC by the server itself.
 *   <li>Writes are counted from the server's audit log ({@link #writes()}, {@link
 *       #writes(String)}), per kind, verb, user and namespace.
 *   <li>Faults: {@link #killApiServer()} (SIGKILL) and {@link #startApiServer()} on the same port
 *       and etcd; {@link #etcdUrl()} for compaction.
 * </ul>
 *
 * Each process logs to a file in {@link #workDir()}; the folder is kept for a failed test to be
 * read, and its etcd data is removed on {@link #close()}.
 */
public final class RealApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RealApiServer.class);
  private static final AtomicInteger SERVERS = new AtomicInteger();
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private static final String ADMIN = "lattice-test-admin";

  private final KubeAssets assets;
  private final boolean controllers;
  private final Path dir;
  private final TestPki pki = TestPki.create();
  private final int etcdPort;
  private final int etcdPeerPort;
  private final int apiPort;
  private final Credentials admin;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
  private final Map<String, String> kinds = new ConcurrentHashMap<>();
  private final AuditLog audit;
  private final List<String> extraApiServerFlags;
  private Process etcd;
  private Process apiServer;
  private Process controllerManager;
  private KubernetesClient adminClient;

  private RealApiServer(KubeAssets assets, boolean controllers, Path dir, List<String> extraApiServerFlags) {
    this.assets = assets;
    this.controllers = controllers;
    this.dir = dir;
    this.extraApiServerFlags = List.copyOf(extraApiServerFlags);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.etcdPort = freePort(loopback);
    this.etcdPeerPort = freePort(loopback);
    this.apiPort = freePort(loopback);
    this.admin = credentialsFor(ADMIN, List.of("system:masters"));
    this.audit = new AuditLog(dir.resolve("audit.log"), this::kindOf);
  }

  /**
   * Starts etcd and kube-apiserver (and kube-controller-manager when {@code controllers}) in a
   * new folder under {@code workRoot}, and returns once the API server answers {@code /readyz}.
   */
  public static RealApiServer start(KubeAssets assets, boolean controllers, Path workRoot) {
    return start(assets, controllers, workRoot, List.of());
  }

  /**
   * As {@link #start(KubeAssets, boolean, Path)}, with more kube-apiserver flags (kept for {@link
   * #startApiServer()}): e.g. {@code --watch-cache=false}, so that every watch is served by etcd
   * and a resume from a compacted revision gets 410 Gone, as it does on a cluster whose watch
   * cache no longer holds that revision.
   */
  public static RealApiServer start(
      KubeAssets assets, boolean controllers, Path workRoot, List<String> extraApiServerFlags) {
    if (controllers && assets.controllerManager().isEmpty()) {
      throw new IllegalStateException(
          assets.origin() + " has no kube-controller-manager, which this test needs (garbage"
              + " collection, Deployment status); the kube-assets tarball has it");
    }
    stopLeftovers(workRoot);
    Path dir = workRoot.resolve("server-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet())
        .toAbsolutePath();
    RealApiServer server;
    try {
      KubeAssets.deleteTree(dir);
      Files.createDirectories(dir.resolve("certs"));
      server = new RealApiServer(assets, controllers, dir, extraApiServerFlags);
      server.pki.writeTo(dir);
      Files.writeString(dir.resolve("audit-policy.yaml"), AuditLog.POLICY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
    try {
      Instant started = Instant.now();
      server.startEtcd();
      server.startApiServer();
      if (controllers) {
        server.startControllerManager();
      }
      LOG.info("real API server {} ready in {} ms ({}; work dir {})", server.url(),
          Duration.between(started, Instant.now()).toMillis(),
          controllers ? "with kube-controller-manager" : "API only", dir);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** {@code https://127.0.0.1:port}; its certificate is self-signed (clients skip verification). */
  public String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  public String etcdUrl() {
    return "http://127.0.0.1:" + etcdPort;
  }

  public Path workDir() {
    return dir;
  }

  public boolean hasControllers() {
    return controllers;
  }

  /** Cluster-admin (closed with the server). */
  public synchronized KubernetesClient client() {
    if (adminClient == null) {
      adminClient = clientWith(admin);
    }
    return adminClient;
  }

  /** The cluster-admin's credentials, for a kubeconfig or another process. */
  public Credentials adminCredentials() {
    return admin;
  }

  /** A client certificate for {@code user} in {@code groups}; the server holds it to RBAC. */
  public Credentials credentialsFor(String user, List<String> groups) {
    TestPki.ClientCredentials c = pki.client(user, groups);
    return new Credentials.Certificate(user, c.certificatePem(), c.keyPem());
  }

  /** A new client with these credentials (closed with the server). */
  public KubernetesClient clientWith(Credentials credentials) {
    ConfigBuilder config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withTrustCerts(true)
            .withDisableHostnameVerification(true)
            .withRequestTimeout(30_000)
            .withNamespace("default");
    KubernetesClient client =
        new KubernetesClientBuilder().withConfig(credentials.applyTo(config).build()).build();
    clients.add(client);
    return client;
  }

  /**
   * A token for ServiceAccount {@code namespace/name} from the TokenRequest API (valid a day); the
   * namespace and the ServiceAccount are created when missing.
   */
  public Credentials serviceAccount(String namespace, String name) {
    ensureNamespace(namespace);
    createIfMissing(
        new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build());
    var request =
        client().serviceAccounts().inNamespace(namespace).withName(name)
            .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(86_400L).endSpec().build());
    return new Credentials.Token(
        "system:serviceaccount:" + namespace + ":" + name, request.getStatus().getToken());
  }

  /**
   * A client acting as {@code user}, who may do only what these roles allow: ClusterRoles
   * everywhere, Roles in their own namespace. {@code system:serviceaccount:NS:NAME} users are
   * real ServiceAccounts with tokens; any other user gets a client certificate. The roles and
   * their bindings are created on the server (replaced when they exist).
   */
  public KubernetesClient clientAs(String user, List<ClusterRole> clusterRoles, List<Role> roles) {
    return clientWith(grant(user, clusterRoles, roles));
  }

  /** As {@link #clientAs}, returning the credentials (for a kubeconfig of another process). */
  public Credentials grant(String user, List<ClusterRole> clusterRoles, List<Role> roles) {
    Subject subject;
    Credentials credentials;
    String[] serviceAccount = user.startsWith("system:serviceaccount:") ? user.split(":") : null;
    if (serviceAccount != null && serviceAccount.length == 4) {
      credentials = serviceAccount(serviceAccount[2], serviceAccount[3]);
      subject = new SubjectBuilder().withKind("ServiceAccount")
          .withNamespace(serviceAccount[2]).withName(serviceAccount[3]).build();
    } else {
      credentials = credentialsFor(user, List.of());
      subject = new SubjectBuilder().withKind("User").withApiGroup("rbac.authorization.k8s.io")
          .withName(user).build();
    }
    String binding = user.replaceAll("[^a-z0-9.-]", "-");
    for (ClusterRole role : clusterRoles) {
      client().rbac().clusterRoles().resource(strip(role)).unlock().createOr(r -> r.update());
      client().rbac().clusterRoleBindings().resource(
          new ClusterRoleBindingBuilder()
              .withNewMetadata().withName(binding + "-" + role.getMetadata().getName()).endMetadata()
              .withSubjects(subject)
              .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role.getMetadata().getName())
              .build())
          .unlock().createOr(r -> r.update());
    }
    for (Role role : roles) {
      String namespace = role.getMetadata().getNamespace();
      ensureNamespace(namespace);
      client().rbac().roles().inNamespace(namespace).resource(strip(role)).unlock().createOr(r -> r.update());
      client().rbac().roleBindings().inNamespace(namespace).resource(
          new RoleBindingBuilder()
              .withNewMetadata().withName(binding + "-" + role.getMetadata().getName())
                  .withNamespace(namespace).endMetadata()
              .withSubjects(subject)
              .withNewRoleRef("rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
              .build())
          .unlock().createOr(r -> r.update());
    }
    return credentials;
  }

  /** Creates the namespace unless it exists. */
  public void ensureNamespace(String namespace) {
    createIfMissing(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build());
  }

  private void createIfMissing(io.fabric8.kubernetes.api.model.HasMetadata object) {
    try {
      client().resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /**
   * Creates (or replaces) CRDs and waits until each is Established, so its kind is served; what
   * the server then stores is the schema, CEL rules and defaults a cluster would enforce.
   */
  public void installCrds(List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      var resource = client().apiextensions().v1().customResourceDefinitions().resource(strip(crd));
      resource.unlock().createOr(r -> r.update());
      client().apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream()
                      .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
              60, TimeUnit.SECONDS);
    }
    kinds.clear();
  }

  /** Every write the server accepted or refused since it started, from its audit log. */
  public Writes writes() {
    return audit.writes();
  }

  /** Writes to objects in {@code namespace}. */
  public Writes writes(String namespace) {
    return audit.writes(namespace);
  }

  /** A kubeconfig for another process (kubectl, an operator process) acting with these credentials. */
  public Path writeKubeconfig(Path file, String namespace, Credentials credentials) {
    return writeKubeconfig(file, url(), namespace, credentials);
  }

  /** As {@link #writeKubeconfig(Path, String, Credentials)} with another server URL (a proxy in front). */
  public Path writeKubeconfig(Path file, String serverUrl, String namespace, Credentials credentials) {
    String text =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: real-api
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: real-api
          user: %s
        contexts:
        - name: real-api
          context: {cluster: real-api, user: real-api, namespace: %s}
        current-context: real-api
        preferences: {}
        """.formatted(serverUrl, credentials.kubeconfigUser(), namespace);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL to kube-apiserver (etcd keeps everything); {@link #startApiServer()} brings it back. */
  public synchronized void killApiServer() {
    if (apiServer != null) {
      apiServer.destroyForcibly();
      waitFor(apiServer, "kube-apiserver");
      apiServer = null;
    }
  }

  /** Starts kube-apiserver on the same port and etcd, and waits until it is ready. */
  public synchronized void startApiServer() {
    List<String> args = new ArrayList<>(List.of(
        assets.apiServer().toString(),
        "--etcd-servers=" + etcdUrl(),
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiPort,
        "--cert-dir=" + dir.resolve("certs"),
        "--client-ca-file=" + dir.resolve("ca.crt"),
        "--service-account-key-file=" + dir.resolve("sa.pub"),
        "--service-account-signing-key-file=" + dir.resolve("sa.key"),
        "--service-account-issuer=https://kubernetes.default.svc",
        // Room for thousands of ClusterIP Services (benchmarks at N = 5000).
        "--service-cluster-ip-range=10.96.0.0/12",
        "--authorization-mode=RBAC",
        "--disable-admission-plugins=ServiceAccount",
        "--audit-policy-file=" + dir.resolve("audit-policy.yaml"),
        "--audit-log-path=" + dir.resolve("audit.log"),
        "--audit-log-maxsize=2000",
        "--profiling=false"));
    args.addAll(extraApiServerFlags);
    apiServer = launch(args, "kube-apiserver");
    awaitReady();
  }

  private void startEtcd() {
    etcd = launch(List.of(
        assets.etcd().toString(),
        "--name=default",
        "--data-dir=" + dir.resolve("etcd"),
        "--listen-client-urls=" + etcdUrl(),
        "--advertise-client-urls=" + etcdUrl(),
        "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
        "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
        "--initial-cluster=default=http://127.0.0.1:" + etcdPeerPort,
        "--unsafe-no-fsync",
        "--log-level=warn"), "etcd");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    poll("etcd " + etcdUrl(), etcd, () -> {
      HttpResponse<String> health = http.send(
          HttpRequest.newBuilder(URI.create(etcdUrl() + "/health")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return health.statusCode() == 200 && health.body().contains("true");
    });
  }

  private void startControllerManager() {
    Path kubeconfig = writeKubeconfig(dir.resolve("controller-manager.kubeconfig"), "kube-system",
        credentialsFor("system:kube-controller-manager", List.of("system:masters")));
    controllerManager = launch(List.of(
        assets.controllerManager().orElseThrow().toString(),
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=127.0.0.1",
        "--secure-port=0",
        "--leader-elect=false",
        "--service-account-private-key-file=" + dir.resolve("sa.key"),
        "--root-ca-file=" + dir.resolve("ca.crt"),
        "--service-cluster-ip-range=10.96.0.0/12",
        // The fork's OpenShift-only controller (see kube-assets README) stays off.
        "--controllers=*,-service-ca-certificate-publisher-controller"), "kube-controller-manager");
  }

  private void awaitReady() {
    KubernetesClient probe = clientWith(admin);
    try {
      poll("kube-apiserver " + url(), apiServer, () -> "ok".equals(probe.raw("/readyz")));
    } finally {
      clients.remove(probe);
      probe.close();
    }
  }

  private Process launch(List<String> command, String name) {
    try {
      Path log = dir.resolve(name + ".log");
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      Files.writeString(dir.resolve(PIDS), process.pid() + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  /** Polls {@code check} until it holds; fails with the process's log tail if it exits or times out. */
  private void poll(String what, Process process, Check check) {
    Instant deadline = Instant.now().plus(READY_WITHIN);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + " exited with " + process.exitValue() + ": " + logTail(what));
      }
      try {
        if (check.ok()) {
          return;
        }
      } catch (KubernetesClientException e) {
        last = e.getMessage();
      } catch (Exception e) {
        last = e.toString();
      }
      try {
        Thread.sleep(200); // polling a starting process
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what);
      }
    }
    throw new IllegalStateException(what + " not ready within " + READY_WITHIN.toSeconds() + " s (last: "
        + last + "): " + logTail(what));
  }

  private String logTail(String what) {
    String name = what.split(" ")[0];
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log at " + dir.resolve(name + ".log") + ")";
    }
  }

  /** "group/resource" → kind, from discovery (read again when a resource is new, e.g. a CRD's). */
  private Optional<String> kindOf(String groupResource) {
    String kind = kinds.get(groupResource);
    if (kind == null) {
      discoverKinds();
      kind = kinds.get(groupResource);
    }
    return Optional.ofNullable(kind);
  }

  private synchronized void discoverKinds() {
    try {
      KubernetesClient c = client();
      record(c, "", "v1");
      for (var group : c.getApiGroups().getGroups()) {
        record(c, group.getName(), group.getPreferredVersion().getGroupVersion());
      }
    } catch (KubernetesClientException e) {
      LOG.debug("discovery failed while counting writes: {}", e.getMessage());
    }
  }

  private void record(KubernetesClient c, String group, String groupVersion) {
    var resources = c.getApiResources(groupVersion);
    if (resources == null) {
      return;
    }
    for (APIResource r : resources.getResources()) {
      if (!r.getName().contains("/")) {
        kinds.put(group + "/" + r.getName(), r.getKind());
      }
    }
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T strip(T object) {
    object.getMetadata().setResourceVersion(null);
    object.getMetadata().setUid(null);
    object.getMetadata().setCreationTimestamp(null);
    object.getMetadata().setManagedFields(null);
    return object;
  }

  @Override
  public synchronized void close() {
    clients.forEach(KubernetesClient::close);
    clients.clear();
    adminClient = null;
    stop(controllerManager, "kube-controller-manager");
    stop(apiServer, "kube-apiserver");
    stop(etcd, "etcd");
    controllerManager = null;
    apiServer = null;
    etcd = null;
    KubeAssets.deleteTree(dir.resolve("etcd"));
  }

  private static void stop(Process process, String name) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM: kube-apiserver shuts down gracefully
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        waitFor(process, name);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(Process process, String name) {
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The processes a server started, one pid a line; the folder's name holds the JVM's pid. */
  private static final String PIDS = "pids";

  /**
   * Stops what a test JVM that was killed (a CI timeout, a developer's Ctrl-C) left running: the
   * processes listed in a server folder whose JVM is gone, if they are still our binaries.
   */
  private static void stopLeftovers(Path workRoot) {
    if (!Files.isDirectory(workRoot)) {
      return;
    }
    try (var folders = Files.list(workRoot)) {
      for (Path folder : folders.toList()) {
        String[] parts = folder.getFileName().toString().split("-");
        Path pids = folder.resolve(PIDS);
        if (parts.length != 3 || !Files.exists(pids)
            || ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        for (String line : Files.readAllLines(pids)) {
          ProcessHandle.of(Long.parseLong(line.trim()))
              .filter(p -> p.info().command().map(c -> c.matches(".*/(etcd|kube-apiserver|kube-controller-manager)")).orElse(false))
              .ifPresent(p -> {
                LOG.warn("stopping {} (pid {}) left by a test JVM that is gone", p.info().command().orElse("?"), p.pid());
                p.destroyForcibly();
              });
        }
        Files.delete(pids);
      }
    } catch (IOException | NumberFormatException e) {
      LOG.debug("could not look for leftover control-plane processes: {}", e.toString());
    }
  }

  private static int freePort(InetAddress loopback) {
    try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free loopback port", e);
    }
  }
}
