package com.diotec360.lattice.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;

/**
 * How the plugin and the page reach Lattices (the group's facts, judged once by the operator): as
 * generic resources (JSON), with the user's own client, like {@link LatticeNodes}. Reading them is
 * optional for both: a user whose role grants latticenodes but not lattices, or a cluster without
 * the Lattice CRD, still gets the nodes, with a note saying why the lattice header is empty.
 */
public final class Lattices {

  public static final String KIND = "Lattice";
  public static final String PLURAL = "lattices";

  private Lattices() {}

  public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      api(KubernetesClient client) {
    return client.genericKubernetesResources(LatticeNodes.API_VERSION, KIND);
  }

  /** Every Lattice in {@code namespace} (all namespaces when null), as JSON. */
  public static List<JsonNode> list(KubernetesClient client, String namespace) {
    var op = api(client);
    var list = namespace == null ? op.inAnyNamespace().list() : op.inNamespace(namespace).list();
    return list.getItems().stream().map(LatticeNodes::json).toList();
  }

  /**
   * Why Lattices cannot be shown, in one line for a note: no permission (with the API server's
   * words and the verb the user lacks), no CRD, or the API's message.
   */
  public static String whyNotShown(KubernetesClientException e) {
    String message = StatusPageServer.firstLine(e);
    return switch (e.getCode()) {
      case 403 -> "Lattices not shown (the lattice header needs list on lattices." + LatticeNodes.GROUP + "): " + message;
      case 404 -> "Lattices not shown: the Lattice CRD is not installed (an operator older than the Lattice"
          + " resource; kubectl apply -f crds/lattices." + LatticeNodes.GROUP + "-v1.yml)";
      default -> "Lattices not shown: " + message;
    };
  }
}
