package com.diotec360.lattice.operator.charts;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What the operator chart grants its own ServiceAccount (cluster-wide mode), rendered by real Helm:
 * the ClusterRoles and Roles its bindings name. Integration tests give exactly these to the
 * operator's client, on the real API server ({@code RealApiOperator}, where the server enforces
 * them) and on the embedded API, so a call the chart does not allow fails there as it would on a
 * cluster.
 */
public final class OperatorChartRbac {

  /** The ServiceAccount the chart creates, as the API server names the user. */
  public record Grants(String user, List<ClusterRole> clusterRoles, List<Role> roles) {}

  private static final Map<Boolean, Grants> RENDERED = new ConcurrentHashMap<>();

  private OperatorChartRbac() {}

  /** The chart's grants, with or without leader election (its Lease Role in the release namespace). */
  public static Grants grants(boolean leaderElection) {
    return RENDERED.computeIfAbsent(leaderElection, OperatorChartRbac::render);
  }

  /** Where the chart's Lease Role lives: leader election must use a Lease there. */
  public static String releaseNamespace() {
    return HelmChart.RELEASE_NAMESPACE;
  }

  private static Grants render(boolean leaderElection) {
    List<HasMetadata> objects =
        HelmChart.OPERATOR.render(Map.of("leaderElection.enabled", leaderElection));
    var serviceAccount =
        HelmChart.ofType(objects, io.fabric8.kubernetes.api.model.ServiceAccount.class).get(0);
    String name = serviceAccount.getMetadata().getName();
    String namespace = Objects.requireNonNullElse(serviceAccount.getMetadata().getNamespace(), HelmChart.RELEASE_NAMESPACE);
    Set<String> clusterRoleNames =
        HelmChart.ofType(objects, ClusterRoleBinding.class).stream()
            .filter(b -> boundTo(b.getSubjects(), name))
            .map(b -> b.getRoleRef().getName())
            .collect(Collectors.toSet());
    Set<String> roleNames =
        HelmChart.ofType(objects, RoleBinding.class).stream()
            .filter(b -> boundTo(b.getSubjects(), name))
            .map(b -> b.getRoleRef().getName())
            .collect(Collectors.toSet());
    return new Grants(
        "system:serviceaccount:" + namespace + ":" + name,
        HelmChart.ofType(objects, ClusterRole.class).stream()
            .filter(r -> clusterRoleNames.contains(r.getMetadata().getName()))
            .toList(),
        HelmChart.ofType(objects, Role.class).stream()
            .filter(r -> roleNames.contains(r.getMetadata().getName()))
            .peek(r -> {
              if (r.getMetadata().getNamespace() == null) {
                r.getMetadata().setNamespace(HelmChart.RELEASE_NAMESPACE);
              }
            })
            .toList());
  }

  private static boolean boundTo(List<Subject> subjects, String serviceAccount) {
    return subjects != null
        && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && serviceAccount.equals(s.getName()));
  }
}
