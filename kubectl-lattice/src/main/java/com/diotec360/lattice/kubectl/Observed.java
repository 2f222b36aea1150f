package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeNodes;
import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the plugin reads for one command: the LatticeNodes of the scope and, when the user may list
 * them, their Events (two list calls in all).
 *
 * @param eventsProblem why Events are missing, or null
 */
record Observed(List<JsonNode> nodes, List<JsonNode> events, String eventsProblem) {

  static Observed read(KubernetesClient client, KubectlLattice.Scope scope) {
    List<JsonNode> nodes;
    try {
      nodes = LatticeNodes.list(client, scope.namespaceOrNull());
    } catch (KubernetesClientException e) {
      throw new CommandException(KubectlLattice.ApiErrors.explain(e, "cannot list latticenodes in " + scope.describe()));
    }
    List<JsonNode> events = List.of();
    String problem = null;
    if (!nodes.isEmpty()) {
      try {
        events = LatticeNodes.events(client, scope.namespaceOrNull());
      } catch (KubernetesClientException e) {
        problem = "Events not shown: " + KubectlLattice.ApiErrors.serverMessage(e);
      }
    }
    return new Observed(nodes, events, problem);
  }

  List<LatticeView> lattices() {
    return LatticeViews.of(new ArrayList<>(nodes), events);
  }

  /** The node called {@code name}, or a {@link CommandException} naming the nodes there are. */
  JsonNode node(String name, KubectlLattice.Scope scope) {
    return nodes.stream()
        .filter(n -> name.equals(n.at("/metadata/name").asText()))
        .findFirst()
        .orElseThrow(() -> new CommandException(
            "no LatticeNode \"" + name + "\" in " + scope.describe()
                + (nodes.isEmpty() ? " (there are none)" : " (there are: " + String.join(", ",
                    nodes.stream().map(n -> n.at("/metadata/name").asText()).sorted().toList()) + ")")));
  }
}
