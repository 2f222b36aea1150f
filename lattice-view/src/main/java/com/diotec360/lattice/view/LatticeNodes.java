package com.diotec360.lattice.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/**
 * How the plugin and the page reach LatticeNodes: as generic resources (JSON), with the user's own
 * client, so RBAC applies to every call.
 */
public final class LatticeNodes {

  public static final String GROUP = "lattice.diotec360.com";
  public static final String API_VERSION = GROUP + "/v1alpha1";
  public static final String KIND = "LatticeNode";
  public static final String PLURAL = "latticenodes";

  private LatticeNodes() {}

  public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      api(KubernetesClient client) {
    return client.genericKubernetesResources(API_VERSION, KIND);
  }

  /** Every LatticeNode in {@code namespace} (all namespaces when null), as JSON. */
  public static List<JsonNode> list(KubernetesClient client, String namespace) {
    var op = api(client);
    var list = namespace == null ? op.inAnyNamespace().list() : op.inNamespace(namespace).list();
    return list.getItems().stream().map(LatticeNodes::json).toList();
  }

  /** The Events of {@code namespace} (all namespaces when null), as JSON. */
  public static List<JsonNode> events(KubernetesClient client, String namespace) {
    var op = client.v1().events();
    var list = namespace == null ? op.inAnyNamespace().list() : op.inNamespace(namespace).list();
    return list.getItems().stream().map(e -> (JsonNode) Serialization.jsonMapper().valueToTree(e)).toList();
  }

  public static JsonNode json(Object resource) {
    return Serialization.jsonMapper().valueToTree(resource);
  }

  /** The JSON merge patch that sets {@code spec.sync.mode}. */
  public static String modePatch(String mode) {
    return "{\"spec\":{\"sync\":{\"mode\":\"" + mode + "\"}}}";
  }

  /** The answer of a SelfSubjectAccessReview: may this user patch LatticeNodes in the namespace? */
  public record Permission(boolean allowed, String reason) {}

  /**
   * Asks the API server (SelfSubjectAccessReview) whether the user may patch LatticeNodes in
   * {@code namespace}; a failing review counts as "not allowed", with the failure as the reason.
   */
  public static Permission mayPatch(KubernetesClient client, String namespace) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withResourceAttributes(
                new ResourceAttributesBuilder()
                    .withGroup(GROUP)
                    .withResource(PLURAL)
                    .withVerb("patch")
                    .withNamespace(namespace)
                    .build())
            .endSpec()
            .build();
    try {
      SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
      boolean allowed = answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
      if (allowed) {
        return new Permission(true, "");
      }
      String why = answer.getStatus() == null ? null : answer.getStatus().getReason();
      return new Permission(false,
          "your Kubernetes user may not patch latticenodes in namespace " + namespace
              + (why == null || why.isBlank() ? "" : " (" + why + ")"));
    } catch (RuntimeException e) {
      return new Permission(false, "could not ask the API server whether you may patch latticenodes: " + e.getMessage());
    }
  }
}
