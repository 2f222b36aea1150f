package com.diotec360.lattice.embedded;

import java.net.URI;
import java.util.Optional;

/**
 * Where the traffic for a Service port goes, in place of the Endpoints a real cluster would have:
 * the embedded API runs no pods, so whoever runs the backends says where they listen. Used by the
 * service proxy ({@code /api/v1/namespaces/{ns}/services/{name}/proxy/...}, see
 * {@code ServiceProxy}); set with {@link EmbeddedApiServer#serviceBackends(ServiceBackends)}.
 *
 * <p>Called on every proxied request, from the API server's threads: answer quickly, never block.
 */
@FunctionalInterface
public interface ServiceBackends {

  /**
   * The base URL of what serves this Service port, e.g. {@code http://127.0.0.1:40123}; empty when
   * nothing does (the API then answers 503 "no endpoints available for service", as a cluster does
   * for a Service without ready endpoints). Only the host, port and path of the URL are used: the
   * scheme is the request's ({@code https:name:port}, http by default), as on a real server.
   *
   * @param namespace the Service's namespace
   * @param service the Service's name
   * @param servicePort the Service port's number ({@code spec.ports[].port})
   * @param portName the Service port's name, "" for an unnamed port
   */
  Optional<URI> backend(String namespace, String service, int servicePort, String portName);
}
