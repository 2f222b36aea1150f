package com.diotec360.lattice.operator.rbac;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Kubernetes API permission: a verb on a resource (or subresource, {@code latticenodes/status})
 * of an API group ({@code ""} for the core group), as an RBAC rule grants it.
 */
public record Permission(String apiGroup, String resource, String verb)
    implements Comparable<Permission> {

  private static final Comparator<Permission> ORDER =
      Comparator.comparing(Permission::apiGroup)
          .thenComparing(Permission::resource)
          .thenComparing(Permission::verb);

  /** The permissions for several verbs on one resource. */
  public static List<Permission> all(String apiGroup, String resource, String... verbs) {
    return Stream.of(verbs).map(v -> new Permission(apiGroup, resource, v)).toList();
  }

  @Override
  public int compareTo(Permission other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource + ":" + verb;
  }
}
