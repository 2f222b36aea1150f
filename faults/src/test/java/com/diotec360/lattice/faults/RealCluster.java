package com.diotec360.lattice.faults;

import com.diotec360.lattice.embedded.Writes;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.realapi.Credentials;
import com.diotec360.lattice.realapi.KubeAssets;
import com.diotec360.lattice.realapi.RealApiExtension;
import com.diotec360.lattice.realapi.RealApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real kube-apiserver and etcd ({@link RealApiServer}) of this test's own, with the generated
 * LatticeNode CRD and the {@value FaultCluster#NAMESPACE} namespace, and what the operator
 * processes need to reach it: a ServiceAccount token per process, bound by the server's own RBAC
 * to exactly the permissions the operator's code declares ({@link
 * LatticeOperator#requiredPermissions}, as {@link FaultCluster#operatorRole}), in a kubeconfig of
 * its own. Not the JVM-wide server of {@code @RealApiTest}: these tests kill the API server or run
 * it with other flags.
 *
 * <p>Skips the test (one line saying how to get the binaries) where none are found, unless {@code
 * LATTICE_REQUIRE_REAL_API} is set.
 */
final class RealCluster implements AutoCloseable {

  /**
   * What fabric8's informer logs (at DEBUG, see {@link OperatorProcess#watchLogging}) when a
   * watch ended with 410 Gone and it lists again.
   */
  static final String HTTP_GONE = "Watch restarting due to http gone";

  private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"?(\\d+)");

  private final RealApiServer server;
  private final Path workDir;
  private final HttpClient etcd = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A server with these extra kube-apiserver flags (none: as a cluster runs it). */
  RealCluster(String testName, String... apiServerFlags) {
    Optional<KubeAssets> assets = KubeAssets.find();
    if (assets.isEmpty() && System.getenv(RealApiExtension.REQUIRE) == null) {
      Assumptions.abort("real-API fault test skipped: " + KubeAssets.HOW_TO_GET_THEM);
    }
    this.workDir = Path.of(System.getProperty("faults.workDir", "target/faults"), testName).toAbsolutePath();
    this.server = RealApiServer.start(
        assets.orElseThrow(() -> new IllegalStateException(KubeAssets.HOW_TO_GET_THEM)), false,
        workDir.resolve("real-api"), List.of(apiServerFlags));
    try {
      server.installCrds(com.diotec360.lattice.embedded.Crds.fromClasspath(
          com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
      server.ensureNamespace(FaultCluster.NAMESPACE);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  RealApiServer server() {
    return server;
  }

  /** Cluster-admin. */
  KubernetesClient client() {
    return server.client();
  }

  Path workDir() {
    return workDir;
  }

  /** The API server's port (a {@link TcpProxy} forwards to it). */
  int apiPort() {
    return URI.create(server.url()).getPort();
  }

  /** Every write the server took, from its audit log. */
  Writes writes() {
    return server.writes();
  }

  /**
   * A kubeconfig for one operator process: a token of ServiceAccount {@code lattice-system/identity}
   * (user {@link FaultCluster#user}) bound to the operator's declared permissions, and {@code
   * serverUrl} (the API server, or a proxy in front of it).
   */
  Path kubeconfigFor(String identity, String serverUrl, boolean leaderElection) {
    Credentials credentials = server.grant(FaultCluster.user(identity),
        List.of(FaultCluster.operatorRole(leaderElection)), List.of());
    return server.writeKubeconfig(workDir.resolve(identity + ".kubeconfig"), serverUrl,
        FaultCluster.NAMESPACE, credentials);
  }

  /** etcd's current revision (the header of a range request through its v3 HTTP gateway). */
  long etcdRevision() {
    return revision(etcdCall("/v3/kv/range", "{\"key\": \"" + base64("/") + "\"}"));
  }

  /**
   * Compacts etcd's history up to {@code revision} and waits for it ({@code physical}): a watch
   * that resumes from an older revision is then told the history is gone.
   */
  void compactEtcd(long revision) {
    etcdCall("/v3/kv/compaction", "{\"revision\": \"" + revision + "\", \"physical\": true}");
  }

  private String etcdCall(String path, String body) {
    try {
      HttpResponse<String> response = etcd.send(
          HttpRequest.newBuilder(URI.create(server.etcdUrl() + path)).timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("etcd " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("etcd " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static long revision(String json) {
    Matcher m = REVISION.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no revision in etcd's answer " + json);
    }
    return Long.parseLong(m.group(1));
  }

  private static String base64(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.close();
  }
}
