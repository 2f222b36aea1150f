package com.diotec360.lattice.faults;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.observe.NodeAddressResolver;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The operator's own {@code main} ({@link LatticeOperator#run}: config from the {@code LATTICE_*}
 * environment, the API client with pings, health and metrics on {@code LATTICE_HTTP_PORT}, the
 * SIGTERM hook), with one difference: it reaches the LatticeNodes it runs at the loopback URLs of
 * the node processes that play their pods, not at their Service DNS names, which do not resolve
 * on a machine without cluster DNS. External members are not resolved: the operator calls their
 * {@code url} as it would in a cluster.
 *
 * <p>System property {@value #NODE_URLS}: a properties file, {@code <namespace>/<node>=<url>} per
 * line, read once at start (the test reserves every node's ports before it starts the operator).
 * A node it does not list is at a closed port ({@code http://127.0.0.1:1}): its probes fail, as
 * for a pod that is not running.
 */
public final class LoopbackNodesOperator {

  /** The system property that names the node URL file. */
  static final String NODE_URLS = "lattice.test.nodeUrls";

  private LoopbackNodesOperator() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Map<String, String> urls = read(Path.of(System.getProperty(NODE_URLS)));
    NodeAddressResolver resolver =
        (node, namespace) -> urls.getOrDefault(namespace + "/" + node, "http://127.0.0.1:1");
    LatticeOperator.run(resolver);
  }

  /** Writes the file {@link #main} reads. */
  static void write(Path file, Map<String, String> urlsByNamespaceAndNode) throws IOException {
    Properties properties = new Properties();
    properties.putAll(urlsByNamespaceAndNode);
    try (var out = Files.newBufferedWriter(file)) {
      properties.store(out, "namespace/node = loopback URL of the process that plays its pod");
    }
  }

  private static Map<String, String> read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    Map<String, String> urls = new TreeMap<>();
    properties.forEach((k, v) -> urls.put(k.toString(), v.toString()));
    return urls;
  }
}
