package com.diotec360.lattice.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.LatticeOperator;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/** Spot checks of the derivation; the chart test compares the whole set. */
class RequiredPermissionsTest {

  @Test
  void derivesVerbsFromTheDependentsKind() {
    SortedSet<Permission> permissions = LatticeOperator.requiredPermissions(false);

    // CRUD dependent without conditions: written, never deleted (ownerReferences do that)
    assertThat(permissions)
        .contains(new Permission("apps", "deployments", "create"), new Permission("apps", "deployments", "update"))
        .doesNotContain(new Permission("apps", "deployments", "delete"), new Permission("apps", "deployments", "get"));
    // bulk dependent: surplus EndpointSlices are deleted
    assertThat(permissions).contains(new Permission("discovery.k8s.io", "endpointslices", "delete"));
    // the primary's status is replaced (PUT), the primary itself never written
    assertThat(permissions)
        .contains(new Permission("lattice.diotec360.com", "latticenodes/status", "update"))
        .noneMatch(p -> p.resource().equals("latticenodes") && !p.verb().matches("get|list|watch"));
    // Leases only with leader election
    assertThat(permissions).noneMatch(p -> p.resource().equals("leases"));
    assertThat(LatticeOperator.requiredPermissions(true))
        .contains(new Permission("coordination.k8s.io", "leases", "update"));
  }
}
