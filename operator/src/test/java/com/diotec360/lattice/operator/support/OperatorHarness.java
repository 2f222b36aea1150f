package com.diotec360.lattice.operator.support;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.api.CustomResources;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The strict embedded API server (lattice-embedded-api) with the generated CRD, for the tests that
 * need a fresh API of their own and no real server: lifecycles, end-to-end runs with reference
 * nodes, benchmarks. Tests that assert what the Kubernetes API does run on the real one instead
 * ({@link RealApiOperator}).
 */
public final class OperatorHarness {


  private OperatorHarness() {}

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
}
