package com.diotec360.lattice.embedded;

import com.diotec360.lattice.embedded.read.StreamingWatches;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-memory Kubernetes API on loopback that answers writes as strictly as a real
 * kube-apiserver: the fabric8 mock server in CRUD mode behind a {@link StrictDispatcher} (RFC
 * patches, status subresource, CRD schema and CEL admission, defaulting), with discovery documents
 * for kubectl and a count of every write. Everything is kept in memory: a restart starts from an
 * empty store.
 *
 * <pre>{@code
 * try (var api = EmbeddedApiServer.start(0, Crds.fromClasspath("/META-INF/fabric8/my-crd.yml"))) {
 *   api.client().resource(...).create();
 *   assertThat(api.writes().of("Deployment", Verb.UPDATE)).isZero();
 * }
 * }</pre>
 */
public final class EmbeddedApiServer implements AutoCloseable {

  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final WriteLog writeLog;
  private final Authorizer authorizer;
  private final StrictDispatcher dispatcher;
  private final List<KubernetesClient> boundClients = new CopyOnWriteArrayList<>();
  private final int port;

  private EmbeddedApiServer(
      KubernetesMockServer server, WriteLog writeLog, Authorizer authorizer, StrictDispatcher dispatcher, int port) {
    this.server = server;
    this.writeLog = writeLog;
    this.authorizer = authorizer;
    this.dispatcher = dispatcher;
    this.port = port;
    this.client = server.createClient();
  }

  /**
   * Starts the server on {@code 127.0.0.1:port} (0: any free port) and creates the CRDs through
   * the API, so their kinds are served, admitted and discoverable.
   *
   * @throws PortInUseException when the port is taken
   */
  public static EmbeddedApiServer start(int port, CustomResourceDefinition... crds) {
    return start(port, List.of(crds));
  }

  /** As {@link #start(int, CustomResourceDefinition...)}. */
  public static EmbeddedApiServer start(int port, List<CustomResourceDefinition> crds) {
    // The mock logs every request at INFO through java.util.logging; that is noise here.
    MOCK_LOG.setLevel(Level.WARNING);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int chosen = port == 0 ? freePort(loopback) : port;
    if (!isFree(loopback, chosen)) {
      throw new PortInUseException(chosen);
    }
    var documents = new DiscoveryDocuments(loopback.getHostAddress() + ":" + chosen, List.of());
    var writeLog = new WriteLog();
    var authorizer = new Authorizer();
    var dispatcher = new StrictDispatcher(documents, writeLog, authorizer);
    var server =
        new KubernetesMockServer(
            new Context(), StreamingWatches.install(new MockWebServer(), dispatcher, ServiceProxy::isProxy),
            new HashMap<>(),
            dispatcher, false);
    server.init(loopback, chosen);
    var api = new EmbeddedApiServer(server, writeLog, authorizer, dispatcher, chosen);
    crds.forEach(crd -> api.client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
    writeLog.reset(); // the CRDs are the server's own setup, not the test's writes
    return api;
  }

  /** A client for this server (closed with it), acting as cluster-admin. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A client (closed with the server) acting as {@code user}, who may do only what the given roles
   * allow: ClusterRoles everywhere, Roles in their own namespace. Anything else is refused with
   * the real server's 403, so a test run with the roles a Helm chart grants fails where a cluster
   * would refuse the operator.
   */
  public KubernetesClient clientAs(String user, List<ClusterRole> clusterRoles, List<Role> roles) {
    String token = bindToken(user, clusterRoles, roles);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withOauthToken(token)
            .withNamespace(client.getNamespace())
            .withTrustCerts(true)
            .build();
    KubernetesClient bound = new KubernetesClientBuilder().withConfig(config).build();
    boundClients.add(bound);
    return bound;
  }

  /**
   * A new bearer token acting as {@code user} with the given roles (as {@link #clientAs}), for a
   * client in another process: see {@link #writeKubeconfig(Path, String, String)}. Writes made
   * with it are counted under {@code user} ({@link Writes#by(String)}).
   */
  public String bindToken(String user, List<ClusterRole> clusterRoles, List<Role> roles) {
    String token = UUID.randomUUID().toString();
    authorizer.bind(token, user, clusterRoles, roles);
    return token;
  }

  /**
   * Where the service proxy ({@code /api/v1/namespaces/{ns}/services/{name}/proxy/...}) sends a
   * Service port's traffic, in place of the endpoints a cluster would pick; replaces the previous
   * resolver, {@code null} removes it. Without one every proxy request is answered 503 "no
   * endpoints available for service", as a cluster answers for a Service without ready endpoints.
   * The embedded API's README (service proxy) tells the rest of the behaviour.
   */
  public void serviceBackends(ServiceBackends resolver) {
    dispatcher.serviceProxy().backends(resolver);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The writes accepted and refused since the start (or the last {@link #resetWrites()}). */
  public Writes writes() {
    return writeLog.snapshot();
  }

  /** Starts counting writes from zero. */
  public void resetWrites() {
    writeLog.reset();
  }

  public Path writeKubeconfig(Path file, String namespace) throws IOException {
    return KubeconfigWriter.write(file, url(), namespace);
  }

  /** A kubeconfig whose user authenticates with {@code token} (from {@link #bindToken}). */
  public Path writeKubeconfig(Path file, String namespace, String token) throws IOException {
    return KubeconfigWriter.write(file, url(), namespace, token);
  }

  @Override
  public void close() {
    boundClients.forEach(KubernetesClient::close);
    client.close();
    server.destroy();
  }

  private static int freePort(InetAddress loopback) {
    try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free loopback port", e);
    }
  }

  private static boolean isFree(InetAddress loopback, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(loopback, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The API port is taken; the message says what to do. */
  public static final class PortInUseException extends RuntimeException {
    public PortInUseException(int port) {
      super(
          "port " + port + " on 127.0.0.1 is already in use (is another lattice-local running?):"
              + " stop whatever listens there, or pass --api-port N (0 picks a free port)");
    }
  }
}
