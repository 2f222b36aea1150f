package com.diotec360.lattice.local.api;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents a real API server serves and the fabric8 mock does not: {@code /version},
 * {@code /api}, {@code /apis}, each group and each group/version's resource list, for the kinds a
 * lattice uses. With them kubectl falls back to legacy discovery and can map a kind or short name
 * ({@code ln}) to a path. {@code /openapi/v2} and {@code /openapi/v3} answer 404 on purpose: kubectl
 * then skips client-side schema validation only when told {@code --validate=false}.
 */
public final class DiscoveryDocuments {

  /** One resource of a group/version's list. */
  record Kind(String plural, String singular, String kind, boolean namespaced, List<String> shortNames) {}

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, String> documents = new LinkedHashMap<>();

  public DiscoveryDocuments(String serverAddress) {
    Map<String, List<Kind>> groups = new LinkedHashMap<>();
    groups.put(
        "v1",
        List.of(
            new Kind("namespaces", "namespace", "Namespace", false, List.of("ns")),
            new Kind("configmaps", "configmap", "ConfigMap", true, List.of("cm")),
            new Kind("secrets", "secret", "Secret", true, List.of()),
            new Kind("services", "service", "Service", true, List.of("svc")),
            new Kind("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, List.of("pvc")),
            new Kind("events", "event", "Event", true, List.of("ev")),
            new Kind("pods", "pod", "Pod", true, List.of("po"))));
    groups.put(
        "apps/v1",
        List.of(new Kind("deployments", "deployment", "Deployment", true, List.of("deploy"))));
    groups.put(
        "discovery.k8s.io/v1",
        List.of(new Kind("endpointslices", "endpointslice", "EndpointSlice", true, List.of())));
    groups.put(
        "coordination.k8s.io/v1",
        List.of(new Kind("leases", "lease", "Lease", true, List.of())));
    groups.put(
        "apiextensions.k8s.io/v1",
        List.of(
            new Kind(
                "customresourcedefinitions",
                "customresourcedefinition",
                "CustomResourceDefinition",
                false,
                List.of("crd", "crds"))));
    groups.put(
        LatticeNode.GROUP + "/" + LatticeNode.VERSION,
        List.of(
            new Kind(
                HasMetadata.getPlural(LatticeNode.class),
                HasMetadata.getSingular(LatticeNode.class),
                HasMetadata.getKind(LatticeNode.class),
                true,
                List.of("ln"))));

    ObjectNode version = mapper.createObjectNode();
    version.put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-lattice-local")
        .put("gitCommit", "local").put("gitTreeState", "clean").put("buildDate", "2025-01-01T00:00:00Z")
        .put("goVersion", "go1.23").put("compiler", "gc").put("platform", "linux/amd64");
    documents.put("/version", version.toString());

    ObjectNode api = mapper.createObjectNode().put("kind", "APIVersions");
    api.putArray("versions").add("v1");
    api.putArray("serverAddressByClientCIDRs").addObject()
        .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    documents.put("/api", api.toString());

    ObjectNode apis = mapper.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groupList = apis.putArray("groups");
    groups.forEach(
        (groupVersion, kinds) -> {
          documents.put(
              ("v1".equals(groupVersion) ? "/api/" : "/apis/") + groupVersion,
              resourceList(groupVersion, kinds).toString());
          if (!"v1".equals(groupVersion)) {
            ObjectNode group = group(groupVersion);
            groupList.add(group);
            ObjectNode single = group.deepCopy().put("kind", "APIGroup").put("apiVersion", "v1");
            documents.put("/apis/" + group.get("name").asText(), single.toString());
          }
        });
    documents.put("/apis", apis.toString());
  }

  /** The document served at {@code path} (query string ignored), if it is a discovery path. */
  public Optional<String> at(String path) {
    return Optional.ofNullable(documents.get(stripQuery(path)));
  }

  /** True for the OpenAPI paths, which this server answers 404 (no schemas are served). */
  public static boolean isOpenApi(String path) {
    return stripQuery(path).startsWith("/openapi/");
  }

  static String stripQuery(String path) {
    int q = path.indexOf('?');
    String p = q < 0 ? path : path.substring(0, q);
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private ObjectNode group(String groupVersion) {
    String name = groupVersion.substring(0, groupVersion.indexOf('/'));
    String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
    ObjectNode group = mapper.createObjectNode().put("name", name);
    group.putArray("versions").addObject().put("groupVersion", groupVersion).put("version", version);
    group.putObject("preferredVersion").put("groupVersion", groupVersion).put("version", version);
    return group;
  }

  private ObjectNode resourceList(String groupVersion, List<Kind> kinds) {
    ObjectNode list =
        mapper.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
            .put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    for (Kind k : kinds) {
      ObjectNode r = resources.addObject().put("name", k.plural()).put("singularName", k.singular())
          .put("namespaced", k.namespaced()).put("kind", k.kind());
      VERBS.forEach(r.putArray("verbs")::add);
      if (!k.shortNames().isEmpty()) {
        k.shortNames().forEach(r.putArray("shortNames")::add);
      }
      if (k.plural().equals(HasMetadata.getPlural(LatticeNode.class))) {
        r.putArray("categories").add("all");
        ObjectNode status = resources.addObject().put("name", k.plural() + "/status")
            .put("singularName", "").put("namespaced", true).put("kind", k.kind());
        List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
      }
    }
    return list;
  }
}
