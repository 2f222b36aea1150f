package com.diotec360.lattice.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;

/**
 * {@code SelfSubjectRulesReview} and {@code SelfSubjectAccessReview}: on a real API server these
 * are questions (what may I do?), answered and never stored. The test's own client is
 * cluster-admin and hears "everything"; a user bound to roles ({@link Authorizer}) hears its rules,
 * and an access review of its {@code resourceAttributes} (group, resource, subresource, verb,
 * namespace) is answered by the same rules the {@link Authorizer} enforces. JOSDK asks one before
 * it runs leader election; the plain mock refused it with 422 (a POST without a name).
 */
final class AccessReviews {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/apis/authorization.k8s.io/v1/";

  private AccessReviews() {}

  static boolean isReview(String path) {
    String bare = path.split("\\?", 2)[0];
    return bare.equals(PREFIX + "selfsubjectrulesreviews")
        || bare.equals(PREFIX + "selfsubjectaccessreviews");
  }

  /** The answer for the test's own client: everything. */
  static MockResponse answer(RecordedRequest request) {
    return answer(request, null);
  }

  /**
   * The answer for a user bound to roles ({@code bound} non-null): the rules of its ClusterRoles
   * and of the Roles in the namespace asked about.
   */
  static MockResponse answer(RecordedRequest request, Authorizer.Subject bound) {
    ObjectNode review;
    try {
      JsonNode body = JSON.readTree(request.getBody().getBytes());
      review = body != null && body.isObject() ? (ObjectNode) body : JSON.createObjectNode();
    } catch (IOException e) {
      return ApiStatus.failure(400, "BadRequest", "the request body is not JSON: " + e.getMessage());
    }
    ObjectNode status = review.putObject("status");
    if (request.getPath().contains("selfsubjectrulesreviews") && bound != null) {
      String namespace = review.path("spec").path("namespace").asText("");
      var rules = status.putArray("resourceRules");
      for (PolicyRule r : Authorizer.rulesIn(bound, namespace)) {
        rules.add(JSON.valueToTree(r));
      }
      status.putArray("nonResourceRules");
      status.put("incomplete", false);
    } else if (request.getPath().contains("selfsubjectrulesreviews")) {
      ObjectNode rule = status.putArray("resourceRules").addObject();
      rule.putArray("verbs").add("*");
      rule.putArray("apiGroups").add("*");
      rule.putArray("resources").add("*");
      ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
      nonResource.putArray("verbs").add("*");
      nonResource.putArray("nonResourceURLs").add("*");
      status.put("incomplete", false);
    } else if (bound != null) {
      JsonNode attributes = review.path("spec").path("resourceAttributes");
      String namespace = attributes.path("namespace").asText("");
      String resource = attributes.path("resource").asText("");
      String subresource = attributes.path("subresource").asText("");
      String verb = attributes.path("verb").asText("");
      boolean allowed = Authorizer.allows(
          Authorizer.rulesIn(bound, namespace), attributes.path("group").asText(""),
          subresource.isEmpty() ? resource : resource + "/" + subresource, verb);
      status.put("allowed", allowed);
      if (!allowed) {
        // what a real server answers when no RBAC rule matches: no reason, not denied outright
        status.put("denied", false);
      } else {
        status.put("reason", "RBAC: allowed by the roles bound to \"" + bound.user() + "\"");
      }
    } else {
      status.put("allowed", true);
      status.put("reason", "the embedded API has no RBAC: every request is allowed");
    }
    return new MockResponse()
        .setResponseCode(201)
        .setHeader("Content-Type", "application/json")
        .setBody(review.toString());
  }
}
