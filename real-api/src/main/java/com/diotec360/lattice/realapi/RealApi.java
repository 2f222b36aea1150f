package com.diotec360.lattice.realapi;

import com.diotec360.lattice.embedded.Writes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;

/**
 * One test's share of the real API server: its own namespace, a cluster-admin client whose
 * default namespace is that one, and the writes made there.
 */
public final class RealApi {

  private final RealApiServer server;
  private final String namespace;
  private KubernetesClient client;

  RealApi(RealApiServer server, String namespace) {
    this.server = server;
    this.namespace = namespace;
  }

  public RealApiServer server() {
    return server;
  }

  /** The test's namespace, created for it. */
  public String namespace() {
    return namespace;
  }

  /** Cluster-admin, defaulting to {@link #namespace()}. */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = server.client().adapt(NamespacedKubernetesClient.class).inNamespace(namespace);
    }
    return client;
  }

  /** Writes to objects in the test's namespace, from the server's audit log. */
  public Writes writes() {
    return server.writes(namespace);
  }
}
