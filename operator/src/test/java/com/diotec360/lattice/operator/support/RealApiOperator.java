package com.diotec360.lattice.operator.support;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.realapi.Credentials;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real operator on the real API server ({@code @RealApiTest}): it acts as the operator chart's
 * ServiceAccount, so the server holds it to the chart's own RBAC (rendered by real Helm,
 * {@link OperatorChartRbac}), and it watches only the test's namespace
 * ({@code LATTICE_WATCH_NAMESPACES}), so tests sharing the server never see each other's nodes.
 * {@link #close()} stops the operator and closes its client.
 *
 * <pre>{@code
 * @RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
 * class SomethingIT {
 *   @Test void it(RealApi api) {
 *     try (RealApiOperator operator = RealApiOperator.start(api, Map.of())) { ... }
 *   }
 * }
 * }</pre>
 */
public final class RealApiOperator implements AutoCloseable {

  /** The generated LatticeNode CRD, for {@code @RealApiTest(crds = {CRD, LATTICE_CRD})}. */
  public static final String CRD = com.diotec360.lattice.operator.api.CustomResources.NODE_RESOURCE;

  /** The generated Lattice CRD, for {@code @RealApiTest(crds = {CRD, LATTICE_CRD})}. */
  public static final String LATTICE_CRD = com.diotec360.lattice.operator.api.CustomResources.LATTICE_RESOURCE;

  /** Builds (does not start) the operator on the client and config it is handed. */
  @FunctionalInterface
  public interface Factory {
    LatticeOperator create(KubernetesClient client, OperatorConfig config);
  }

  /** The chart's ServiceAccount token and bindings, made once per server and election setting. */
  private static final Map<String, Credentials> GRANTED = new ConcurrentHashMap<>();

  private final LatticeOperator operator;
  private final KubernetesClient client;
  private final String user;

  private RealApiOperator(LatticeOperator operator, KubernetesClient client, String user) {
    this.operator = operator;
    this.client = client;
    this.user = user;
  }

  /** The operator as {@code main} builds it (HTTP probes, Service DNS names), configured by {@code env}. */
  public static RealApiOperator start(RealApi api, Map<String, String> env) {
    return start(api, false, env, (client, config) -> LatticeOperator.create(client, config, Clock.systemUTC()));
  }

  /**
   * The operator {@code factory} builds, with a config read from {@code env} plus the test's
   * namespace as the only one watched; {@code leaderElection} adds the chart's Lease Role in its
   * release namespace to what the client may do.
   */
  public static RealApiOperator start(
      RealApi api, boolean leaderElection, Map<String, String> env, Factory factory) {
    Map<String, String> settings = new HashMap<>(env);
    settings.put("LATTICE_WATCH_NAMESPACES", api.namespace());
    OperatorConfig config = OperatorConfig.fromEnv(settings);
    KubernetesClient client = operatorClient(api.server(), leaderElection);
    try {
      LatticeOperator operator = factory.create(client, config);
      try {
        operator.start();
      } catch (RuntimeException e) {
        operator.close();
        throw e;
      }
      return new RealApiOperator(operator, client, user(leaderElection));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * A new client acting as the operator chart's ServiceAccount, bound to exactly the chart's
   * ClusterRoles and Roles: a call the chart does not allow gets the server's own 403.
   */
  public static KubernetesClient operatorClient(RealApiServer server, boolean leaderElection) {
    OperatorChartRbac.Grants grants = OperatorChartRbac.grants(leaderElection);
    Credentials credentials =
        GRANTED.computeIfAbsent(
            server.url() + "|" + leaderElection,
            k -> server.grant(grants.user(), grants.clusterRoles(), grants.roles()));
    return server.clientWith(credentials);
  }

  /** The user the API server sees for the operator ({@code Writes.by(user)}, audit log). */
  public static String user(boolean leaderElection) {
    return OperatorChartRbac.grants(leaderElection).user();
  }

  public LatticeOperator operator() {
    return operator;
  }

  /** The operator's own client (the chart's ServiceAccount). */
  public KubernetesClient client() {
    return client;
  }

  /** The user the API server sees for this operator. */
  public String user() {
    return user;
  }

  @Override
  public void close() {
    try {
      operator.close();
    } finally {
      client.close();
    }
  }
}
