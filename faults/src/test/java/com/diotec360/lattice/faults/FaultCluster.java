package com.diotec360.lattice.faults;

import com.diotec360.lattice.embedded.Crds;
import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.embedded.KubeconfigWriter;
import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.rbac.Permission;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The embedded API in this JVM, with the generated LatticeNode CRD, and what the operator
 * processes need to reach it: a bearer token per process, bound to exactly the permissions the
 * operator's code declares ({@link LatticeOperator#requiredPermissions}), in a kubeconfig of its
 * own.
 */
final class FaultCluster implements AutoCloseable {

  static final String NAMESPACE = "faults";

  private final EmbeddedApiServer api;
  private final Path workDir;

  FaultCluster(String testName) {
    this.api = EmbeddedApiServer.start(0,
        Crds.fromClasspath(com.diotec360.lattice.operator.api.CustomResources.RESOURCES));
    this.workDir = Path.of(System.getProperty("faults.workDir", "target/faults"), testName).toAbsolutePath();
  }

  EmbeddedApiServer api() {
    return api;
  }

  KubernetesClient client() {
    return api.client();
  }

  Path workDir() {
    return workDir;
  }

  /** The user name a process with this identity writes as ({@code Writes.by}). */
  static String user(String identity) {
    return "system:serviceaccount:lattice-system:" + identity;
  }

  /**
   * A kubeconfig for one operator process: its own token (user {@link #user}), the operator's
   * declared permissions as one ClusterRole, and {@code serverUrl} (the API, or a proxy in front
   * of it).
   */
  Path kubeconfigFor(String identity, String serverUrl, boolean leaderElection) {
    String token = api.bindToken(user(identity), List.of(operatorRole(leaderElection)), List.of());
    try {
      return KubeconfigWriter.write(workDir.resolve(identity + ".kubeconfig"), serverUrl, NAMESPACE, token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One rule per (group, resource) with the verbs the operator's code says it uses. */
  static ClusterRole operatorRole(boolean leaderElection) {
    Map<List<String>, List<String>> verbs = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    for (Permission p : LatticeOperator.requiredPermissions(leaderElection)) {
      verbs.computeIfAbsent(List.of(p.apiGroup(), p.resource()), k -> new java.util.ArrayList<>()).add(p.verb());
    }
    return new ClusterRoleBuilder()
        .withNewMetadata().withName("lattice-operator").endMetadata()
        .withRules(verbs.entrySet().stream()
            .map(e -> new PolicyRuleBuilder()
                .withApiGroups(e.getKey().get(0))
                .withResources(e.getKey().get(1))
                .withVerbs(e.getValue())
                .build())
            .collect(Collectors.toList()))
        .build();
  }

  @Override
  public void close() {
    api.close();
  }
}
