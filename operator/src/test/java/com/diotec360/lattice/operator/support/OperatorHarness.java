package com.diotec360.lattice.operator.support;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.CustomResources;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Runs the real operator against the strict embedded API server (lattice-embedded-api) with the
 * generated CRD: patches, the status subresource, the CRD's schema and CEL rules and defaulting
 * behave as on a real cluster, and every write is counted ({@link #api()}{@code .writes()}).
 */
public final class OperatorHarness implements AutoCloseable {


  private final EmbeddedApiServer api;
  private final KubernetesClient client;
  private final LatticeOperator operator;

  private OperatorHarness(EmbeddedApiServer api, LatticeOperator operator) {
    this.api = api;
    this.client = api.client();
    this.operator = operator;
  }

  /** A fresh embedded API with the generated LatticeNode CRD, and the operator on it. */
  public static OperatorHarness start(Map<String, String> env) {
    EmbeddedApiServer api = startApi();
    try {
      LatticeOperator operator =
          LatticeOperator.create(operatorClient(api, false), OperatorConfig.fromEnv(env), Clock.systemUTC());
      operator.start();
      return new OperatorHarness(api, operator);
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
  }

  /** A fresh embedded API with the generated CRDs (from the test classpath). */
  public static EmbeddedApiServer startApi() {
    return EmbeddedApiServer.start(0, Crds.fromClasspath(CustomResources.RESOURCES));
  }

  /**
   * A client for the operator that may do exactly what the operator chart grants its
   * ServiceAccount (rendered by real Helm), so an API call the chart does not allow fails here.
   */
  public static KubernetesClient operatorClient(EmbeddedApiServer api, boolean leaderElection) {
    OperatorChartRbac.Grants grants = OperatorChartRbac.grants(leaderElection);
    return api.clientAs(grants.user(), grants.clusterRoles(), grants.roles());
  }

  public EmbeddedApiServer api() {
    return api;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Creates every object of a manifest file (path relative to the repository root). */
  public List<HasMetadata> apply(String manifest) {
    try (InputStream in = Files.newInputStream(repoRoot().resolve(manifest))) {
      List<HasMetadata> items = client.load(in).items();
      items.forEach(item -> client.resource(item).create());
      return items;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public LatticeNode node(String name) {
    return client.resources(LatticeNode.class).withName(name).get();
  }

  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (a folder with examples/)");
    }
    return dir;
  }

  @Override
  public void close() {
    try {
      operator.close();
    } finally {
      api.close();
    }
  }
}
