package com.diotec360.lattice.embedded;

import java.util.Arrays;
import java.util.List;

/**
 * A REST path of the Kubernetes API taken apart: {@code /api/v1/namespaces/ns/services/name},
 * {@code /apis/group/version/namespaces/ns/plural/name/status?fieldManager=x}, cluster-scoped
 * ones. Empty strings stand for absent parts.
 */
public record ResourcePath(
    String group, String version, String namespace, String plural, String name, String subresource, String query) {

  public static ResourcePath parse(String rawPath) {
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    String query = q < 0 ? "" : rawPath.substring(q + 1);
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group = "";
    String version = "";
    List<String> rest = List.of();
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      version = parts.get(1);
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      rest = parts.subList(3, parts.size());
    }
    String namespace = "";
    boolean namespaceItself = rest.size() == 3 && rest.get(0).equals("namespaces")
        && List.of("status", "finalize").contains(rest.get(2));
    if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !namespaceItself) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    return new ResourcePath(
        group, version, namespace, at(rest, 0), at(rest, 1), at(rest, 2), query);
  }

  private static String at(List<String> parts, int index) {
    return parts.size() > index ? parts.get(index) : "";
  }

  boolean isStatus() {
    return "status".equals(subresource);
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The path of the object itself, no subresource, no query. */
  String objectPath() {
    StringBuilder out = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (!namespace.isEmpty()) {
      out.append("/namespaces/").append(namespace);
    }
    out.append('/').append(plural);
    if (!name.isEmpty()) {
      out.append('/').append(name);
    }
    return out.toString();
  }

  /** The path of object {@code name} in this path's collection. */
  ResourcePath named(String objectName) {
    return new ResourcePath(group, version, namespace, plural, objectName, "", "");
  }

  /** The path of the object's status subresource, no query. */
  String statusPath() {
    return objectPath() + "/status";
  }
}
