package com.diotec360.lattice.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns LatticeNodes (as plain JSON) and Events into {@link LatticeView}s: one per lattice and
 * namespace, members sorted by name. It judges nothing the operator judges (verdicts, reference
 * root, agreement all come from status); it only colours and groups. Plain Java, no clock.
 *
 * <p>Nodes are read as JSON, not as the operator's model class, so fields a newer operator adds
 * (an evidence summary, a revision) are shown when present and an older status without them still
 * renders.
 *
 * <p>Colour rules, first match wins:
 * <ol>
 *   <li>RED: phase Invalid; Reachable=False (unreachable); verdict Diverged, Forked, Split, or
 *       Behind/Ahead past the grace period (divergedSince set); NoQuorum
 *       (the lattice is split: no root has a majority);
 *   <li>YELLOW: no status yet, phase Pending or Reachable=Unknown (starting); Behind or Ahead (within
 *       the grace period); Unobserved; syncing over HTTP (fallback in auto mode, or forced);
 *   <li>GREEN: P2P and Consistent;
 *   <li>YELLOW otherwise (a state this version does not know, named in the label).
 * </ol>
 */
public final class LatticeViews {

  /** What an unknown value shows as. */
  public static final String NONE = "-";

  /** How many recent Events a node view carries. */
  public static final int RECENT_EVENTS = 3;

  private LatticeViews() {}

  /** The lattices of these nodes, sorted by namespace then lattice name. */
  public static List<LatticeView> of(List<JsonNode> nodes, List<JsonNode> events) {
    Map<String, List<JsonNode>> newestEvent = eventsPerNode(events);
    Map<String, List<JsonNode>> byLattice = new TreeMap<>();
    for (JsonNode node : nodes) {
      String key = text(node.at("/metadata/namespace")) + "\u0000" + latticeOf(node);
      byLattice.computeIfAbsent(key, k -> new ArrayList<>()).add(node);
    }
    List<LatticeView> views = new ArrayList<>();
    byLattice.forEach((key, members) -> views.add(lattice(members, newestEvent)));
    return views;
  }

  private static LatticeView lattice(List<JsonNode> members, Map<String, List<JsonNode>> newestEvent) {
    members.sort(Comparator.comparing(n -> text(n.at("/metadata/name"))));
    List<NodeView> nodes = members.stream().map(n -> node(n, newestEvent)).toList();
    JsonNode summary = members.stream()
        .map(n -> n.at("/status/lattice"))
        .filter(JsonNode::isObject)
        .findFirst()
        .orElse(null);
    String reference = summary == null ? NONE : orNone(summary.path("referenceRoot"));
    String agreeing = summary == null || !summary.hasNonNull("agreeing")
        ? NONE
        : summary.path("agreeing").asInt() + "/" + members.size();
    String quorum = summary == null ? NONE : reference.equals(NONE) ? "NoQuorum" : "yes";
    String links = summary == null ? NONE
        : summary.hasNonNull("partitions") ? summary.path("partitions").asText() : LatticeView.CONNECTED;
    Map<String, List<String>> byRoot = new LinkedHashMap<>();
    for (NodeView n : nodes) {
      if (!n.rootShort().equals(NONE)) {
        byRoot.computeIfAbsent(n.rootShort(), r -> new ArrayList<>()).add(n.name());
      }
    }
    List<String> rootless = nodes.stream().filter(n -> n.rootShort().equals(NONE)).map(NodeView::name).toList();
    String partitions = byRoot.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, List<String>> e) -> -e.getValue().size())
            .thenComparing(Map.Entry::getKey))
        .map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
        .collect(Collectors.joining(" | "));
    if (!rootless.isEmpty()) {
      partitions = (partitions.isEmpty() ? "" : partitions + " | ") + "no root: " + String.join(", ", rootless);
    }
    int unreachable = (int) nodes.stream().filter(n -> n.heartbeat().equals("lost")).count();
    Health health = quorum.equals("NoQuorum")
        ? Health.RED
        : nodes.stream().map(NodeView::health).max(Comparator.naturalOrder()).orElse(Health.YELLOW);
    JsonNode first = members.get(0);
    return new LatticeView(
        text(first.at("/metadata/namespace")), latticeOf(first), members.size(), reference,
        agreeing, quorum, byRoot.size(), partitions.isEmpty() ? NONE : partitions, links, unreachable,
        health, nodes);
  }

  static NodeView node(JsonNode n, Map<String, List<JsonNode>> eventsByNode) {
    JsonNode status = n.path("status");
    String namespace = text(n.at("/metadata/namespace"));
    String name = text(n.at("/metadata/name"));
    String phase = orNone(status.path("phase"));
    String mode = orNone(status.path("syncMode"));
    String wanted = n.at("/spec/sync/mode").isTextual() ? n.at("/spec/sync/mode").asText() : "auto";
    String verdict = orNone(status.path("consistency"));
    JsonNode reachable = condition(status, "Reachable");
    String heartbeat = heartbeat(status, reachable);
    String root = orNone(status.path("merkleRoot"));
    String rootShort = status.hasNonNull("rootShort")
        ? status.path("rootShort").asText()
        : root.equals(NONE) ? NONE : root.substring(0, Math.min(12, root.length()));
    List<JsonNode> recent = eventsByNode.getOrDefault(namespace + "/" + name, List.of());
    JsonNode event = recent.isEmpty() ? null : recent.get(0);
    Colour colour = colour(status, phase, mode, wanted, verdict, reachable);
    return new NodeView(
        namespace, name, latticeOf(n), orNone(n.at("/spec/role")), phase, mode, wanted,
        orNone(status.path("syncModeSince")), orNone(status.path("peerCount")), heartbeat,
        orNone(status.path("version")), root, rootShort, verdict, evidence(status.path("divergence")),
        orNone(status.at("/rollout/revision")),
        event == null ? NONE : orNone(event.path("reason")),
        event == null ? NONE : orNone(event.path("message")),
        recent.stream().limit(RECENT_EVENTS)
            .map(e -> orNone(e.path("reason")) + ": " + orNone(e.path("message"))).toList(),
        colour.health(), colour.label());
  }

  private record Colour(Health health, String label) {}

  private static Colour colour(
      JsonNode status, String phase, String mode, String wanted, String verdict, JsonNode reachable) {
    String reach = reachable == null ? "" : reachable.path("status").asText();
    if (phase.equals("Invalid")) {
      return new Colour(Health.RED, "Invalid spec");
    }
    if (reach.equals("False")) {
      return new Colour(Health.RED, "Unreachable");
    }
    switch (verdict) {
      case "Diverged" -> {
        return new Colour(Health.RED, "Diverged");
      }
      case "Forked" -> {
        return new Colour(Health.RED, "Forked");
      }
      case "Split" -> {
        return new Colour(Health.RED, "Split");
      }
      case "NoQuorum" -> {
        return new Colour(Health.RED, "No quorum");
      }
      default -> { }
    }
    boolean pastGrace = status.hasNonNull("divergedSince");
    if (pastGrace && (verdict.equals("Behind") || verdict.equals("Ahead"))) {
      // Behind or Ahead with evidence, past the grace period: the operator's sharpened Diverged.
      return new Colour(Health.RED, verdict + " (past grace)");
    }
    if (status.isMissingNode() || status.isNull() || phase.equals("Pending") || phase.equals(NONE)
        || reach.equals("Unknown")) {
      return new Colour(Health.YELLOW, "Starting");
    }
    if (verdict.equals("Behind") || verdict.equals("Ahead")) {
      return new Colour(Health.YELLOW, verdict + " (within grace)");
    }
    if (verdict.equals("Unobserved")) {
      return new Colour(Health.YELLOW, "Not observed yet");
    }
    if (mode.equals("HTTP")) {
      return new Colour(Health.YELLOW, wanted.equals("http") ? "HTTP (forced)" : "HTTP fallback");
    }
    if (mode.equals("P2P") && verdict.equals("Consistent")) {
      return new Colour(Health.GREEN, "Healthy: P2P, Consistent");
    }
    return new Colour(Health.YELLOW, "Unknown state: " + mode + ", " + verdict);
  }

  private static String heartbeat(JsonNode status, JsonNode reachable) {
    JsonNode own = status.path("heartbeat");
    if (own.isTextual()) {
      return own.asText();
    }
    if (own.isObject() && own.hasNonNull("state")) {
      return own.path("state").asText();
    }
    if (reachable == null) {
      return "unknown";
    }
    return switch (reachable.path("status").asText()) {
      case "True" -> "ok";
      case "False" -> "lost";
      default -> "starting";
    };
  }

  /** A string as it is; an object by its {@code summary} (else compact JSON); absent as "-". */
  private static String evidence(JsonNode e) {
    if (e.isMissingNode() || e.isNull()) {
      return NONE;
    }
    if (e.isValueNode()) {
      return e.asText();
    }
    if (e.hasNonNull("summary")) {
      return e.path("summary").asText();
    }
    return e.toString();
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  /** The Events about each LatticeNode ({@code namespace/name}), newest first. */
  static Map<String, List<JsonNode>> eventsPerNode(List<JsonNode> events) {
    Map<String, List<JsonNode>> byNode = new HashMap<>();
    for (JsonNode e : events) {
      JsonNode obj = e.path("involvedObject");
      if (!"LatticeNode".equals(obj.path("kind").asText())) {
        continue;
      }
      String ns = obj.hasNonNull("namespace") ? obj.path("namespace").asText() : text(e.at("/metadata/namespace"));
      byNode.computeIfAbsent(ns + "/" + obj.path("name").asText(), k -> new ArrayList<>()).add(e);
    }
    // newest first; equal times by name, so the order never depends on the list's order
    byNode.values().forEach(list -> list.sort(
        Comparator.comparing(LatticeViews::when).reversed()
            .thenComparing(e -> e.at("/metadata/name").asText(), Comparator.reverseOrder())));
    return byNode;
  }

  /** When an Event last happened: lastTimestamp, eventTime, series, then creation. */
  static Instant when(JsonNode e) {
    for (String path : List.of("/lastTimestamp", "/series/lastObservedTime", "/eventTime", "/metadata/creationTimestamp")) {
      JsonNode v = e.at(path);
      if (v.isTextual() && !v.asText().isEmpty()) {
        try {
          return Instant.parse(v.asText());
        } catch (DateTimeParseException ignored) {
          // a malformed time: try the next field
        }
      }
    }
    return Instant.EPOCH;
  }

  private static String latticeOf(JsonNode node) {
    JsonNode l = node.at("/spec/lattice");
    return l.isTextual() && !l.asText().isEmpty() ? l.asText() : NONE;
  }

  private static String text(JsonNode v) {
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }

  private static String orNone(JsonNode v) {
    return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? NONE : v.asText();
  }
}
