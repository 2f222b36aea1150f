package com.diotec360.lattice.view;

import static com.diotec360.lattice.view.LatticeViews.NONE;
import static com.diotec360.lattice.view.LatticeViews.orNone;
import static com.diotec360.lattice.view.LatticeViews.text;

import com.diotec360.lattice.view.LatticeViews.Colour;
import com.diotec360.lattice.view.LatticeViews.MemberFacts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Lattice's external members as {@link ExternalMemberView}s, coloured by {@link LatticeViews}' member rules. */
final class ExternalMemberViews {

  private ExternalMemberViews() {}

  /**
   * The external members of a Lattice: every {@code spec.externalMembers} entry, in spec order,
   * with what the operator wrote of it in {@code status.externalMembers} (matched by name), then
   * status entries the spec no longer lists. Before the operator probed a member it is yellow "Not
   * probed yet"; after, it has a LatticeNode's colours. A member's mode over HTTP is yellow "HTTP":
   * the operator never switches an external member, so there is no wanted mode to compare with.
   */
  static List<ExternalMemberView> of(String namespace, String lattice, JsonNode latticeObject) {
    if (latticeObject == null) {
      return List.of();
    }
    Map<String, JsonNode> observed = new LinkedHashMap<>();
    for (JsonNode e : latticeObject.at("/status/externalMembers")) {
      observed.putIfAbsent(text(e.path("name")), e);
    }
    List<ExternalMemberView> views = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (JsonNode spec : latticeObject.at("/spec/externalMembers")) {
      String name = text(spec.path("name"));
      if (listed.add(name)) {
        views.add(external(namespace, lattice, spec, observed.get(name), true));
      }
    }
    observed.forEach((name, status) -> {
      if (!listed.contains(name)) {
        views.add(external(namespace, lattice, status, status, false));
      }
    });
    return List.copyOf(views);
  }

  private static ExternalMemberView external(
      String namespace, String lattice, JsonNode spec, JsonNode status, boolean inSpec) {
    JsonNode s = status == null ? MissingNode.getInstance() : status;
    String verdict = orNone(s.path("consistency"));
    String mode = orNone(s.path("syncMode"));
    String reach = s.path("reachable").isBoolean() ? (s.path("reachable").asBoolean() ? "True" : "False") : "";
    String root = orNone(s.path("merkleRoot"));
    Colour colour = status == null
        ? new Colour(Health.YELLOW, "Not probed yet")
        : LatticeViews.colour(new MemberFacts(false, reach, verdict, s.hasNonNull("divergedSince"), reach.isEmpty(),
            "Not probed yet", mode, "HTTP"));
    return new ExternalMemberView(
        namespace, lattice, text(spec.path("name")),
        spec.hasNonNull("url") ? text(spec.path("url")) : orNone(s.path("url")),
        spec.hasNonNull("role") ? orNone(spec.path("role")) : orNone(s.path("role")),
        switch (reach) {
          case "True" -> "yes";
          case "False" -> "no";
          default -> NONE;
        },
        verdict, root, root.equals(NONE) ? NONE : root.substring(0, Math.min(12, root.length())),
        orNone(s.path("version")), mode, orNone(s.path("message")), orNone(s.path("evidence")),
        orNone(s.path("mismatchSince")), orNone(s.path("divergedSince")), inSpec,
        colour.health(), colour.label());
  }
}
