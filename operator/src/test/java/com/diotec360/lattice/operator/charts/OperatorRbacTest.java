package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.rbac.Permission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart grants the operator exactly what its code uses ({@link
 * LatticeOperator#requiredPermissions}), no more and no less, in both install modes.
 */
class OperatorRbacTest {

  static final String OPERATOR_ROLE = "test-lattice-operator";
  static final String LEASE_ROLE = OPERATOR_ROLE + "-leader-election";

  @Test
  void clusterWideModeGrantsExactlyWhatTheCodeUses() {
    List<HasMetadata> objects = HelmChart.OPERATOR.render(Map.of());

    ClusterRole role = named(HelmChart.ofType(objects, ClusterRole.class), OPERATOR_ROLE);
    assertThat(permissions(role.getRules()))
        .isEqualTo(LatticeOperator.requiredPermissions(false));
    assertThat(HelmChart.ofType(objects, ClusterRoleBinding.class))
        .singleElement()
        .satisfies(b -> assertThat(b.getRoleRef().getName()).isEqualTo(OPERATOR_ROLE));
    assertThat(HelmChart.ofType(objects, Role.class)).isEmpty();
  }

  @Test
  void namespacedModeGrantsTheSameInEachWatchedNamespaceOnly() {
    List<HasMetadata> objects =
        HelmChart.OPERATOR.render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

    List<Role> roles = HelmChart.ofType(objects, Role.class);
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(roles).allSatisfy(r ->
        assertThat(permissions(r.getRules())).isEqualTo(LatticeOperator.requiredPermissions(false)));
    assertThat(HelmChart.ofType(objects, RoleBinding.class))
        .extracting(b -> b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName())
        .containsExactlyInAnyOrder("team-a/" + OPERATOR_ROLE, "team-b/" + OPERATOR_ROLE);
    assertThat(operatorClusterRoles(objects)).isEmpty();
    assertThat(HelmChart.ofType(objects, ClusterRoleBinding.class)).isEmpty();
  }

  @Test
  void leaderElectionAddsTheLeaseRightsInTheReleaseNamespace() {
    for (var mode : List.<Map<String, Object>>of(Map.of(), Map.of("watchNamespaces[0]", "team-a"))) {
      var values = new java.util.HashMap<String, Object>(mode);
      values.put("leaderElection.enabled", true);
      List<HasMetadata> objects = HelmChart.OPERATOR.render(values);

      Role lease = named(HelmChart.ofType(objects, Role.class), LEASE_ROLE);
      assertThat(lease.getMetadata().getNamespace()).isEqualTo(HelmChart.RELEASE_NAMESPACE);
      SortedSet<Permission> granted = new TreeSet<>(permissions(lease.getRules()));
      HelmChart.ofType(objects, ClusterRole.class).stream()
          .filter(r -> r.getMetadata().getName().equals(OPERATOR_ROLE))
          .forEach(r -> granted.addAll(permissions(r.getRules())));
      HelmChart.ofType(objects, Role.class).stream()
          .filter(r -> r.getMetadata().getName().equals(OPERATOR_ROLE))
          .forEach(r -> granted.addAll(permissions(r.getRules())));
      assertThat(granted).as("mode %s", mode).isEqualTo(LatticeOperator.requiredPermissions(true));
    }
  }

  @Test
  void namespaceUsersCanViewAndEditLatticeNodesThroughAggregation() {
    List<ClusterRole> aggregated =
        HelmChart.ofType(HelmChart.OPERATOR.render(Map.of()), ClusterRole.class).stream()
            .filter(r -> !r.getMetadata().getName().equals(OPERATOR_ROLE))
            .toList();

    assertThat(aggregated)
        .filteredOn(r -> "true".equals(r.getMetadata().getLabels().get("rbac.authorization.k8s.io/aggregate-to-view")))
        .flatExtracting(r -> permissions(r.getRules()))
        .extracting(Permission::verb)
        .containsOnly("get", "list", "watch");
    assertThat(aggregated)
        .filteredOn(r -> "true".equals(r.getMetadata().getLabels().get("rbac.authorization.k8s.io/aggregate-to-edit")))
        .flatExtracting(r -> permissions(r.getRules()))
        .extracting(Permission::verb)
        .contains("create", "update", "patch", "delete");
  }

  private static List<ClusterRole> operatorClusterRoles(List<HasMetadata> objects) {
    return HelmChart.ofType(objects, ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(OPERATOR_ROLE))
        .toList();
  }

  private static <T extends HasMetadata> T named(List<T> objects, String name) {
    return objects.stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " among " + objects.stream().map(o -> o.getMetadata().getName()).toList()));
  }

  /** Flattens RBAC rules into (group, resource, verb) triples. */
  static Set<Permission> permissions(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(rule -> rule.getApiGroups().stream()
            .flatMap(group -> rule.getResources().stream()
                .flatMap(resource -> rule.getVerbs().stream()
                    .map(verb -> new Permission(group, resource, verb)))))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
