package com.diotec360.lattice.local.api;

import com.diotec360.lattice.local.LoopbackPorts;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded Kubernetes API: the fabric8 mock server in CRUD mode on loopback, with discovery
 * documents for kubectl, the LatticeNode CRD registered (so {@code /status} is a subresource), and
 * a kubeconfig for it. Everything kept in memory: a restart starts from an empty store.
 */
public final class EmbeddedApiServer implements AutoCloseable {

  /** Where the operator jar carries the generated CRD. */
  static final String CRD_RESOURCE = "/META-INF/fabric8/latticenodes.lattice.diotec360.com-v1.yml";

  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final int port;

  private EmbeddedApiServer(KubernetesMockServer server, int port) {
    this.server = server;
    this.port = port;
    this.client = server.createClient();
  }

  /**
   * Starts the server on {@code 127.0.0.1:port} (0: any free port).
   *
   * @throws PortInUseException when the port is taken
   */
  public static EmbeddedApiServer start(int port) {
    // The mock logs every request at INFO through java.util.logging; that is noise here.
    MOCK_LOG.setLevel(Level.WARNING);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int chosen = port == 0 ? LoopbackPorts.free() : port;
    if (!LoopbackPorts.isFree(chosen)) {
      throw new PortInUseException(chosen);
    }
    var documents = new DiscoveryDocuments(loopback.getHostAddress() + ":" + chosen);
    var server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new DiscoveryDispatcher(documents), false);
    server.init(loopback, chosen);
    var api = new EmbeddedApiServer(server, chosen);
    api.registerCrd();
    return api;
  }

  private void registerCrd() {
    try (InputStream in = EmbeddedApiServer.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the LatticeNode CRD is not on the classpath (" + CRD_RESOURCE + "): rebuild with ./mvnw install");
      }
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path writeKubeconfig(Path file, String namespace) throws IOException {
    return KubeconfigWriter.write(file, url(), namespace);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
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
