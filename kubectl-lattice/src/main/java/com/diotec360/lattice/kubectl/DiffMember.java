package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.ExternalMemberView;
import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.diotec360.lattice.view.NodeView;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A member {@code kubectl lattice diff} compares: a LatticeNode, which it reaches through the API
 * server's service proxy, or an external member of a Lattice, which it reaches directly at its url.
 * Every value as the operator last wrote it ("-" when unknown).
 *
 * @param lattice the lattice it belongs to
 * @param rootWrittenAt when its root was written (ISO-8601), "-" for an external member, whose
 *     root has no time of its own
 * @param url an external member's base url; null for a LatticeNode
 * @param spec an external member's {@code spec.externalMembers[]} entry (its Secrets' names), or null
 * @param evidence an external member's {@code status.externalMembers[].evidence}, else "-"
 */
record DiffMember(
    String name, String lattice, String version, String verdict, String root, String rootWrittenAt, String url,
    JsonNode spec, String evidence) {

  boolean external() {
    return url != null;
  }

  static DiffMember of(NodeView n) {
    return new DiffMember(n.name(), n.lattice(), n.version(), n.verdict(), n.root(), n.rootWrittenAt(), null, null,
        LatticeViews.NONE);
  }

  static DiffMember of(ExternalMemberView e, JsonNode spec) {
    return new DiffMember(e.name(), e.lattice(), e.version(), e.verdict(), e.root(), LatticeViews.NONE, e.url(), spec,
        e.evidence());
  }

  /** The members of {@code lattice} a comparison may choose from: its LatticeNodes, then its external members. */
  static List<DiffMember> of(LatticeView lattice, Observed observed) {
    List<DiffMember> members = new ArrayList<>();
    lattice.nodes().forEach(n -> members.add(of(n)));
    lattice.externalMembers().forEach(e -> members.add(of(e, spec(observed, e))));
    return members;
  }

  /**
   * The member called {@code name} in the scope: a LatticeNode first (an external member may not
   * share a LatticeNode's name in its lattice), else an external member of a Lattice there.
   *
   * @throws CommandException when there is none, naming each lattice's members; or when two
   *     Lattices list external members of that name at different urls
   */
  static DiffMember find(Observed observed, String name, KubectlLattice.Scope scope) {
    List<LatticeView> lattices = observed.views();
    for (LatticeView l : lattices) {
      for (NodeView n : l.nodes()) {
        if (n.name().equals(name)) {
          return of(n);
        }
      }
    }
    List<ExternalMemberView> external = lattices.stream().flatMap(l -> l.externalMembers().stream())
        .filter(e -> e.name().equals(name)).toList();
    if (external.stream().map(ExternalMemberView::url).distinct().count() > 1) {
      throw new CommandException("\"" + name + "\" names external members of lattices "
          + String.join(", ", external.stream().map(ExternalMemberView::lattice).toList()) + " in " + scope.describe()
          + " at different urls, so diff cannot tell which one you mean: rename one of them");
    }
    if (!external.isEmpty()) {
      return of(external.get(0), spec(observed, external.get(0)));
    }
    List<String> known = new ArrayList<>();
    for (LatticeView l : lattices) {
      List<String> names = new ArrayList<>();
      l.nodes().forEach(n -> names.add(n.name()));
      l.externalMembers().forEach(e -> names.add(e.name() + " (external)"));
      if (!names.isEmpty()) {
        known.add("lattice " + l.name() + ": " + String.join(", ", names));
      }
    }
    throw new CommandException("no member \"" + name + "\" in " + scope.describe()
        + (known.isEmpty() ? " (there are none)" : " (" + String.join("; ", known) + ")"));
  }

  /** The external member's entry in its Lattice's spec (for its Secrets' names), or null when only the status lists it. */
  private static JsonNode spec(Observed observed, ExternalMemberView e) {
    for (JsonNode l : observed.lattices()) {
      if (l.at("/metadata/namespace").asText().equals(e.namespace()) && l.at("/metadata/name").asText().equals(e.lattice())) {
        for (JsonNode entry : l.at("/spec/externalMembers")) {
          if (entry.path("name").asText().equals(e.name())) {
            return entry;
          }
        }
      }
    }
    return null;
  }
}
