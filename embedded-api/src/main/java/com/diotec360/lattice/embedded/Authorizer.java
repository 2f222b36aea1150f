package com.diotec360.lattice.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RBAC for the users a test binds to roles: a request with such a user's bearer token may do what
 * its ClusterRoles allow everywhere and its Roles allow in their namespace, nothing else (403 in
 * the real server's words). Requests without a known token act as cluster-admin, as the test's
 * own client does. Discovery and other non-resource paths are open to everyone, as
 * {@code system:discovery} makes them on a cluster.
 *
 * <p>RBAC is additive and has no deny rules; aggregation, resourceNames and non-resource rules of
 * the roles are not looked at (the operator's roles use none of them).
 */
final class Authorizer {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One bound user: who it is and what its roles allow. */
  record Subject(String user, List<PolicyRule> everywhere, Map<String, List<PolicyRule>> byNamespace) {}

  private final Map<String, Subject> byToken = new ConcurrentHashMap<>();

  void bind(String token, String user, List<ClusterRole> clusterRoles, List<Role> roles) {
    List<PolicyRule> everywhere = new ArrayList<>();
    clusterRoles.forEach(r -> everywhere.addAll(Objects.requireNonNullElse(r.getRules(), List.of())));
    Map<String, List<PolicyRule>> byNamespace = new ConcurrentHashMap<>();
    roles.forEach(r -> byNamespace
        .computeIfAbsent(r.getMetadata().getNamespace(), ns -> new ArrayList<>())
        .addAll(Objects.requireNonNullElse(r.getRules(), List.of())));
    byToken.put(token, new Subject(user, everywhere, byNamespace));
  }

  /** The bound user making this request, if any. */
  Optional<Subject> subject(RecordedRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return Optional.empty();
    }
    return Optional.ofNullable(byToken.get(header.substring("Bearer ".length()).trim()));
  }

  /** What a bound user may do in a namespace (its ClusterRoles' rules and that namespace's Roles'). */
  static List<PolicyRule> rulesIn(Subject subject, String namespace) {
    List<PolicyRule> rules = new ArrayList<>(subject.everywhere());
    rules.addAll(subject.byNamespace().getOrDefault(namespace == null ? "" : namespace, List.of()));
    return rules;
  }

  /** A 403 when a bound user may not make this request, else empty. */
  Optional<MockResponse> refuse(RecordedRequest request) {
    Subject subject = subject(request).orElse(null);
    if (subject == null) {
      return Optional.empty();
    }
    ResourcePath path = ResourcePath.parse(request.getPath());
    if (path.plural().isEmpty() || path.version().isEmpty()) {
      return Optional.empty(); // discovery, /version, OpenAPI
    }
    String verb = verb(request.getMethod(), path);
    String resource = path.subresource().isEmpty() ? path.plural() : path.plural() + "/" + path.subresource();
    if (allows(subject.everywhere(), path.group(), resource, verb)
        || (!path.namespace().isEmpty()
            && allows(subject.byNamespace().getOrDefault(path.namespace(), List.of()), path.group(), resource, verb))) {
      return Optional.empty();
    }
    return Optional.of(forbidden(subject.user(), path, resource, verb));
  }

  static String verb(String method, ResourcePath path) {
    return switch (method.toUpperCase()) {
      case "GET" -> !path.name().isEmpty() ? "get" : isWatch(path.query()) ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> path.name().isEmpty() ? "deletecollection" : "delete";
      default -> method.toLowerCase();
    };
  }

  private static boolean isWatch(String query) {
    for (String part : query.split("&")) {
      if (part.equals("watch=true") || part.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }

  static boolean allows(List<PolicyRule> rules, String group, String resource, String verb) {
    return rules.stream().anyMatch(rule ->
        matches(rule.getApiGroups(), group)
            && matches(rule.getResources(), resource)
            && matches(rule.getVerbs(), verb));
  }

  private static boolean matches(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }

  /** {@code secrets "x" is forbidden: User "u" cannot get resource "secrets" in API group "" in the namespace "ns"}. */
  private static MockResponse forbidden(String user, ResourcePath path, String resource, String verb) {
    String qualified = path.group().isEmpty() ? path.plural() : path.plural() + "." + path.group();
    String subject = path.name().isEmpty() ? qualified : qualified + " \"" + path.name() + "\"";
    String where = path.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + path.namespace() + "\"";
    String message = subject + " is forbidden: User \"" + user + "\" cannot " + verb + " resource \""
        + resource + "\" in API group \"" + path.group() + "\"" + where;
    ObjectNode status = JSON.createObjectNode()
        .put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", "Forbidden");
    ObjectNode details = status.putObject("details").put("group", path.group()).put("kind", path.plural());
    if (!path.name().isEmpty()) {
      details.put("name", path.name());
    }
    status.put("code", 403);
    return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json").setBody(status.toString());
  }
}
