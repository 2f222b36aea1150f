package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeNodes;
import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.diotec360.lattice.view.Lattices;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the plugin reads for one command: the LatticeNodes of the scope and, when the user may list
 * them, the Lattices (the lattice headers: the group's facts as the operator judged them) and the
 * Events (three list calls in all). Only the LatticeNodes are required: without Lattices or Events
 * the output says why they are missing and shows the rest.
 *
 * @param latticesProblem why Lattices are missing, or null
 * @param eventsProblem why Events are missing, or null
 */
record Observed(
    List<JsonNode> nodes, List<JsonNode> lattices, List<JsonNode> events, String latticesProblem, String eventsProblem) {

  static Observed read(KubernetesClient client, KubectlLattice.Scope scope) {
    List<JsonNode> nodes;
    try {
      nodes = LatticeNodes.list(client, scope.namespaceOrNull());
    } catch (KubernetesClientException e) {
      throw new CommandException(KubectlLattice.ApiErrors.explain(e, "cannot list latticenodes in " + scope.describe()));
    }
    List<JsonNode> lattices = List.of();
    String latticesProblem = null;
    try {
      lattices = Lattices.list(client, scope.namespaceOrNull());
    } catch (KubernetesClientException e) {
      latticesProblem = Lattices.whyNotShown(e);
    }
    List<JsonNode> events = List.of();
    String problem = null;
    if (!nodes.isEmpty() || !lattices.isEmpty()) {
      try {
        events = LatticeNodes.events(client, scope.namespaceOrNull());
      } catch (KubernetesClientException e) {
        problem = "Events not shown: " + KubectlLattice.ApiErrors.serverMessage(e);
      }
    }
    return new Observed(nodes, lattices, events, latticesProblem, problem);
  }

  List<LatticeView> views() {
    return LatticeViews.of(nodes, lattices, events);
  }

  /** The notes about what could not be read, one per line (none when everything was read). */
  List<String> problems() {
    List<String> notes = new ArrayList<>();
    if (latticesProblem != null) {
      notes.add(latticesProblem);
    }
    if (eventsProblem != null) {
      notes.add(eventsProblem);
    }
    return notes;
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
