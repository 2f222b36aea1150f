package com.diotec360.lattice.embedded;

import com.diotec360.lattice.embedded.openapi.OpenApiDocuments;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The discovery documents a real API server serves and the fabric8 mock does not: {@code /version},
 * {@code /api}, {@code /apis}, each group and each group/version's resource list, for the kinds a
 * lattice uses and for every CRD given (or created later through the API). With them kubectl
 * falls back to legacy discovery and can map a kind or short name ({@code ln}) to a path. The
 * OpenAPI documents of the same kinds ({@code /openapi/v2}, {@code /openapi/v3}) come from
 * {@link OpenApiDocuments}.
 *
 * <p>{@code /version} reports the minor version of the kubectl asking (its User-Agent
 * {@code kubectl/v1.N...}, or {@code kubectl.1.30/v1.30...} for a renamed binary), so no kubectl
 * warns about version skew; any other client is told
 * {@value #DEFAULT_MINOR}. The behaviour itself follows a real kube-apiserver v1.36 (see README).
 */
public final class DiscoveryDocuments {

  /** One resource of a group/version's list. */
  record Kind(
      String plural, String singular, String kind, boolean namespaced, List<String> shortNames,
      List<String> categories, boolean statusSubresource) {

    Kind(String plural, String singular, String kind, boolean namespaced, List<String> shortNames) {
      this(plural, singular, kind, namespaced, shortNames, List.of(), false);
    }
  }

  /** The minor version reported to clients that are not kubectl: the kubectl shipped with lattice-local's docs. */
  static final String DEFAULT_MINOR = "32";

  /** kubectl's User-Agent: the binary's name (kubectl, kubectl.1.30, ...), then /v1.N.p. */
  private static final Pattern KUBECTL_AGENT = Pattern.compile("^kubectl[^/\\s]*/v1\\.(\\d{1,3})\\.");

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  /** What {@code kubectl get all} lists: the category the real server gives these built-ins. */
  private static final List<String> ALL = List.of("all");

  private final ObjectMapper mapper = new ObjectMapper();
  /** Replaced whole on every change, so a reader never sees a half-built set. */
  private volatile Map<String, String> documents = Map.of();
  private final Map<String, List<Kind>> groups = new LinkedHashMap<>();
  /** The CRD schema of each custom kind, by group/version/plural. */
  private final Map<String, JsonNode> crdSchemas = new LinkedHashMap<>();
  private final String serverAddress;
  private final OpenApiDocuments openApi = new OpenApiDocuments("v1." + DEFAULT_MINOR + ".0-lattice-local");

  public DiscoveryDocuments(String serverAddress, List<CustomResourceDefinition> crds) {
    this.serverAddress = serverAddress;
    groups.put(
        "v1",
        List.of(
            new Kind("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of(), true),
            new Kind("configmaps", "configmap", "ConfigMap", true, List.of("cm")),
            new Kind("secrets", "secret", "Secret", true, List.of()),
            new Kind("services", "service", "Service", true, List.of("svc"), ALL, true),
            new Kind("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, List.of("pvc"),
                List.of(), true),
            new Kind("events", "event", "Event", true, List.of("ev")),
            new Kind("pods", "pod", "Pod", true, List.of("po"), ALL, true),
            new Kind("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"))));
    groups.put(
        "apps/v1",
        List.of(new Kind("deployments", "deployment", "Deployment", true, List.of("deploy"), ALL, true)));
    groups.put(
        "policy/v1",
        List.of(new Kind("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, List.of("pdb"),
            List.of(), true)));
    groups.put(
        "discovery.k8s.io/v1",
        List.of(new Kind("endpointslices", "endpointslice", "EndpointSlice", true, List.of())));
    groups.put(
        "coordination.k8s.io/v1",
        List.of(new Kind("leases", "lease", "Lease", true, List.of())));
    groups.put(
        "networking.k8s.io/v1",
        List.of(new Kind("networkpolicies", "networkpolicy", "NetworkPolicy", true, List.of("netpol"))));
    groups.put(
        "rbac.authorization.k8s.io/v1",
        List.of(
            new Kind("roles", "role", "Role", true, List.of()),
            new Kind("rolebindings", "rolebinding", "RoleBinding", true, List.of()),
            new Kind("clusterroles", "clusterrole", "ClusterRole", false, List.of()),
            new Kind("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, List.of())));
    groups.put(
        "apiextensions.k8s.io/v1",
        List.of(
            new Kind(
                "customresourcedefinitions",
                "customresourcedefinition",
                "CustomResourceDefinition",
                false,
                List.of("crd", "crds"))));
    crds.forEach(this::addCrd);
    render();
  }

  /** Serves a CRD's kind too (a CRD created through the API after the start). */
  public synchronized void register(CustomResourceDefinition crd) {
    addCrd(crd);
    render();
  }

  /** The kind served under a group/version and plural, if any. */
  public synchronized Optional<Kind> kind(String groupVersion, String plural) {
    return groups.getOrDefault(groupVersion, List.of()).stream()
        .filter(k -> k.plural().equals(plural))
        .findFirst();
  }

  private void addCrd(CustomResourceDefinition crd) {
    var names = crd.getSpec().getNames();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (Boolean.FALSE.equals(version.getServed())) {
        continue;
      }
      String groupVersion = crd.getSpec().getGroup() + "/" + version.getName();
      List<Kind> kinds = new ArrayList<>(groups.getOrDefault(groupVersion, List.of()));
      kinds.removeIf(k -> k.plural().equals(names.getPlural()));
      kinds.add(new Kind(
          names.getPlural(),
          names.getSingular() == null ? names.getKind().toLowerCase() : names.getSingular(),
          names.getKind(),
          !"Cluster".equals(crd.getSpec().getScope()),
          names.getShortNames() == null ? List.of() : names.getShortNames(),
          names.getCategories() == null ? List.of() : names.getCategories(),
          version.getSubresources() != null && version.getSubresources().getStatus() != null));
      groups.put(groupVersion, List.copyOf(kinds));
      crdSchemas.put(groupVersion + "/" + names.getPlural(),
          version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null ? null
              : Serialization.jsonMapper().valueToTree(version.getSchema().getOpenAPIV3Schema()));
    }
  }

  /** The OpenAPI documents of the kinds served here. */
  public OpenApiDocuments openApi() {
    return openApi;
  }

  /**
   * The {@code /version} document for a client: kubectl {@code v1.N} is told {@code v1.N.0-lattice-local}
   * (so it sees no version skew, whatever its version), anyone else {@value #DEFAULT_MINOR}.
   */
  String version(String userAgent) {
    String minor = DEFAULT_MINOR;
    Matcher kubectl = KUBECTL_AGENT.matcher(userAgent == null ? "" : userAgent);
    if (kubectl.find()) {
      minor = kubectl.group(1);
    }
    ObjectNode version = mapper.createObjectNode();
    version.put("major", "1").put("minor", minor).put("gitVersion", "v1." + minor + ".0-lattice-local")
        .put("gitCommit", "local").put("gitTreeState", "clean").put("buildDate", "2025-01-01T00:00:00Z")
        .put("goVersion", "go1.23").put("compiler", "gc").put("platform", "linux/amd64");
    return version.toString();
  }

  private void render() {
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("/version", version(null));

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
    this.documents = Map.copyOf(documents);
    List<OpenApiDocuments.Resource> resources = new ArrayList<>();
    groups.forEach((groupVersion, kinds) -> {
      int slash = groupVersion.indexOf('/');
      String group = slash < 0 ? "" : groupVersion.substring(0, slash);
      String version = groupVersion.substring(slash + 1);
      for (Kind k : kinds) {
        String key = groupVersion + "/" + k.plural();
        resources.add(new OpenApiDocuments.Resource(group, version, k.plural(), k.kind(), k.namespaced(),
            k.statusSubresource() || BUILT_IN_STATUS.contains(k.plural()) && !crdSchemas.containsKey(key),
            crdSchemas.get(key), crdSchemas.containsKey(key)));
      }
    });
    openApi.update(resources);
  }

  /** Built-in kinds whose status is a subresource on a real server (for their OpenAPI paths). */
  private static final java.util.Set<String> BUILT_IN_STATUS = java.util.Set.of(
      "deployments", "services", "persistentvolumeclaims", "pods", "namespaces", "customresourcedefinitions",
      "poddisruptionbudgets");

  /** The document served at {@code path} (query string ignored), if it is a discovery path. */
  public Optional<String> at(String path) {
    return Optional.ofNullable(documents.get(stripQuery(path)));
  }

  /** As {@link #at(String)}, with {@code /version} answered for the client's User-Agent. */
  public Optional<String> at(String path, String userAgent) {
    return "/version".equals(stripQuery(path)) ? Optional.of(version(userAgent)) : at(path);
  }

  /** True for the OpenAPI paths ({@link OpenApiDocuments}). */
  public static boolean isOpenApi(String path) {
    return OpenApiDocuments.isOpenApi(stripQuery(path));
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
      // namespaces go one at a time (a real server has no deletecollection for them)
      VERBS.stream().filter(v -> !("namespaces".equals(k.plural()) && "deletecollection".equals(v)))
          .forEach(r.putArray("verbs")::add);
      if (!k.shortNames().isEmpty()) {
        k.shortNames().forEach(r.putArray("shortNames")::add);
      }
      if (!k.categories().isEmpty()) {
        k.categories().forEach(r.putArray("categories")::add);
      }
      if (k.statusSubresource()) {
        ObjectNode status = resources.addObject().put("name", k.plural() + "/status")
            .put("singularName", "").put("namespaced", k.namespaced()).put("kind", k.kind());
        List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
      }
      if ("services".equals(k.plural()) && "v1".equals(groupVersion)) {
        ObjectNode proxy = resources.addObject().put("name", "services/proxy")
            .put("singularName", "").put("namespaced", true).put("kind", "ServiceProxyOptions");
        List.of("create", "delete", "get", "patch", "update").forEach(proxy.putArray("verbs")::add);
      }
    }
    return list;
  }
}
