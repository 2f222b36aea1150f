package com.diotec360.lattice.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns Lattices, LatticeNodes and Events (all as plain JSON) into {@link LatticeView}s: one per
 * lattice and namespace, sorted by namespace then name, members sorted by name. It judges nothing
 * the operator judges: the header is the Lattice's status (phase, members, agreeing, quorum,
 * reference root, links, evidence, rollout, healing), the rows are the LatticeNodes' statuses. It
 * only colours, groups and puts things in words. Plain Java, no clock: times stay ISO-8601 here,
 * and whoever shows them turns them into ages with {@link HumanTime} and its own "now".
 *
 * <p>Grouping: a lattice is shown when a Lattice or a LatticeNode names it, so a Lattice without
 * members yet still has a header, and a node whose Lattice the operator has not made yet still has
 * its rows (under a header that says so). A lattice's external members (members the operator does
 * not run) come from its Lattice alone, {@code spec.externalMembers} joined by name with what the
 * operator wrote in {@code status.externalMembers}, and are kept apart from the LatticeNodes.
 *
 * <p>Nodes are read as JSON, not as the operator's model class, so fields a newer operator adds
 * (an evidence summary, a revision) are shown when present. The per-member lattice summary that
 * operators before the Lattice resource wrote ({@code status.lattice} on every LatticeNode) is no
 * longer read: the header comes from the Lattice alone.
 *
 * <p>The lattice's colour is its phase: GREEN Healthy; YELLOW Degraded (a strict majority holds
 * the reference root, some member does not), not judged yet, no Lattice yet, or a phase this
 * version does not know; RED NoQuorum, Split, Invalid.
 *
 * <p>A node's colour, first match wins:
 * <ol>
 *   <li>RED: phase Invalid; Reachable=False (unreachable); verdict Diverged, Forked, Split, or
 *       Behind/Ahead past the grace period (divergedSince set); NoQuorum
 *       (the lattice is split: no root has a majority);
 *   <li>YELLOW: no status yet, phase Pending or Reachable=Unknown (starting); Behind or Ahead (within
 *       the grace period); Unobserved; syncing over HTTP (fallback in auto mode, or forced);
 *   <li>GREEN: P2P and Consistent;
 *   <li>YELLOW otherwise (a state this version does not know, named in the label).
 * </ol>
 * An external member has the same colours, read from its {@code status.externalMembers} entry
 * ({@code reachable} in place of the Reachable condition); it has no phase, and before the
 * operator probed it, it is YELLOW "Not probed yet".
 */
public final class LatticeViews {

  /** What an unknown value shows as. */
  public static final String NONE = "-";

  /** How many recent Events a node view carries. */
  public static final int RECENT_EVENTS = 3;

  private LatticeViews() {}

  /** The lattices of these nodes and Lattices, sorted by namespace then lattice name. */
  public static List<LatticeView> of(List<JsonNode> nodes, List<JsonNode> lattices, List<JsonNode> events) {
    Map<String, List<JsonNode>> nodeEvents = eventsPer("LatticeNode", events);
    Map<String, List<JsonNode>> latticeEvents = eventsPer("Lattice", events);
    Map<String, Group> groups = new TreeMap<>();
    for (JsonNode l : lattices) {
      String ns = text(l.at("/metadata/namespace"));
      String name = text(l.at("/metadata/name"));
      groups.computeIfAbsent(ns + "\u0000" + name, k -> new Group(ns, name)).lattice = l;
    }
    for (JsonNode n : nodes) {
      String ns = text(n.at("/metadata/namespace"));
      String name = latticeOf(n);
      groups.computeIfAbsent(ns + "\u0000" + name, k -> new Group(ns, name)).members.add(n);
    }
    List<LatticeView> views = new ArrayList<>();
    groups.values().forEach(g -> views.add(lattice(g, nodeEvents, latticeEvents)));
    return views;
  }

  /** One lattice's objects: its Lattice (or null) and its LatticeNodes. */
  private static final class Group {
    final String namespace;
    final String name;
    JsonNode lattice;
    final List<JsonNode> members = new ArrayList<>();

    Group(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }
  }

  private static LatticeView lattice(
      Group g, Map<String, List<JsonNode>> nodeEvents, Map<String, List<JsonNode>> latticeEvents) {
    List<JsonNode> members = new ArrayList<>(g.members);
    members.sort(Comparator.comparing(n -> text(n.at("/metadata/name"))));
    List<NodeView> nodes = members.stream().map(n -> node(n, nodeEvents)).toList();
    JsonNode status = g.lattice == null ? null : g.lattice.path("status");
    boolean judged = status != null && status.isObject() && !status.isEmpty();
    String phase = judged ? orNone(status.path("phase")) : NONE;
    Colour colour = latticeColour(g, judged, phase, judged && status.path("writesInFlight").asBoolean(false));
    JsonNode ready = judged ? condition(status, "Ready") : null;
    String why = ready != null && ready.hasNonNull("message") ? ready.path("message").asText()
        : g.lattice == null
            ? "no Lattice " + g.name + " in namespace " + g.namespace + " yet: the operator makes one for"
                + " every lattice a LatticeNode names (an operator older than the Lattice resource makes none)"
            : judged ? NONE : "the operator has not written this Lattice's status yet";
    JsonNode quorumCondition = judged ? condition(status, "Quorum") : null;
    String hasQuorum = quorumCondition == null ? NONE : switch (quorumCondition.path("status").asText()) {
      case "True" -> "yes";
      case "False" -> "no";
      default -> NONE;
    };
    JsonNode deletingCondition = judged ? condition(status, "Deleting") : null;
    String deleting = deletingCondition != null && "True".equals(deletingCondition.path("status").asText())
        ? orNone(deletingCondition.path("message")) : NONE;
    String reference = judged ? orNone(status.path("referenceRoot")) : NONE;
    String rootShort = !judged ? NONE
        : status.hasNonNull("rootShort") ? status.path("rootShort").asText()
        : reference.equals(NONE) ? NONE : reference.substring(0, Math.min(12, reference.length()));
    List<String> restarting = new ArrayList<>();
    List<LatticeView.Waiting> waiting = new ArrayList<>();
    if (judged) {
      status.at("/rollout/restarting").forEach(r -> restarting.add(r.asText()));
      status.at("/rollout/waiting").forEach(w -> waiting.add(new LatticeView.Waiting(
          orNone(w.path("name")), orNone(w.path("reason")), w.path("blocking").asBoolean(false))));
    }
    List<JsonNode> events = latticeEvents.getOrDefault(g.namespace + "/" + g.name, List.of());
    return new LatticeView(
        g.namespace, g.name, phase, colour.health(), colour.label(), why,
        judged ? orNone(status.path("members")) : NONE,
        judged ? orNone(status.path("agreeing")) : NONE,
        judged ? orNone(status.path("quorum")) : NONE,
        hasQuorum, reference, rootShort,
        judged ? orNone(status.path("refreshedAt")) : NONE,
        !judged ? NONE : status.hasNonNull("partitions") ? status.path("partitions").asText() : LatticeView.CONNECTED,
        judged ? orNone(status.path("evidence")) : NONE,
        rolloutSummary(restarting, waiting, members),
        List.copyOf(restarting), List.copyOf(waiting),
        judged ? orNone(status.path("healing")) : NONE,
        deleting,
        events.isEmpty() ? null : eventView(events.get(0)),
        judged ? status : null,
        nodes,
        ExternalMemberViews.of(g.namespace, g.name, g.lattice));
  }

  /**
   * The header's colour and words. Degraded with {@code status.writesInFlight} says so: members
   * are only Behind or Ahead inside the grace period (entries still propagating), nothing to act on.
   */
  private static Colour latticeColour(Group g, boolean judged, String phase, boolean writesInFlight) {
    if (g.lattice == null) {
      return new Colour(Health.YELLOW, "No Lattice yet");
    }
    if (!judged || phase.equals(NONE)) {
      return new Colour(Health.YELLOW, "Not judged yet");
    }
    return switch (phase) {
      case "Healthy" -> new Colour(Health.GREEN, "Healthy");
      case "Degraded" -> new Colour(Health.YELLOW, writesInFlight ? "Degraded: writes in flight" : "Degraded");
      case "NoQuorum" -> new Colour(Health.RED, "No quorum");
      case "Split" -> new Colour(Health.RED, "Split");
      case "Invalid" -> new Colour(Health.RED, "Invalid spec");
      default -> new Colour(Health.YELLOW, "Unknown phase: " + phase);
    };
  }

  /**
   * The rollout in one line: who restarts, how many wait (and how many of those block the
   * lattice), and how many members run their wanted revision; "-" when nothing restarts or waits.
   */
  static String rolloutSummary(List<String> restarting, List<LatticeView.Waiting> waiting, List<JsonNode> members) {
    if (restarting.isEmpty() && waiting.isEmpty()) {
      return NONE;
    }
    List<String> parts = new ArrayList<>();
    if (!restarting.isEmpty()) {
      parts.add("restarting " + String.join(", ", restarting));
    }
    if (!waiting.isEmpty()) {
      long blocking = waiting.stream().filter(LatticeView.Waiting::blocking).count();
      parts.add(waiting.size() + " waiting" + (blocking == 0 ? "" : " (" + blocking + " blocked by the lattice)"));
    }
    long known = members.stream().filter(m -> m.at("/status/rollout/state").isTextual()).count();
    if (known > 0) {
      long upToDate = members.stream().filter(m -> "UpToDate".equals(m.at("/status/rollout/state").asText())).count();
      parts.add(upToDate + " of " + members.size() + " up to date");
    }
    return String.join("; ", parts);
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
    EventView event = recent.isEmpty() ? null : eventView(recent.get(0));
    Colour colour = nodeColour(status, phase, mode, wanted, verdict, reachable);
    return new NodeView(
        namespace, name, latticeOf(n), orNone(n.at("/spec/role")), phase, mode, wanted,
        orNone(status.path("syncModeSince")), orNone(status.path("peerCount")), heartbeat,
        orNone(status.path("version")), root, rootShort,
        orNone(status.path("lastProbeTime")),
        verdict, evidence(status.path("divergence")),
        orNone(status.at("/rollout/revision")),
        event == null ? NONE : event.reason(),
        event == null ? NONE : event.message(),
        event == null ? NONE : event.at(),
        recent.stream().limit(RECENT_EVENTS).map(LatticeViews::eventView).toList(),
        colour.health(), colour.label());
  }

  record Colour(Health health, String label) {}

  /**
   * What a member's colour depends on, the same for a LatticeNode and an external member, so both
   * follow one set of rules (the class comment).
   *
   * @param invalid its spec cannot be applied (LatticeNodes only)
   * @param reach the Reachable condition's status ("True", "False", "Unknown"), "" when none
   * @param pastGrace Behind or Ahead with {@code divergedSince} set
   * @param starting nothing observed yet (no status, Pending, Reachable=Unknown)
   * @param startingLabel the words for that ("Starting" for a node the operator runs)
   * @param httpLabel the words for a member syncing over HTTP
   */
  record MemberFacts(
      boolean invalid, String reach, String verdict, boolean pastGrace, boolean starting, String startingLabel,
      String mode, String httpLabel) {}

  static Colour colour(MemberFacts m) {
    if (m.invalid()) {
      return new Colour(Health.RED, "Invalid spec");
    }
    if (m.reach().equals("False")) {
      return new Colour(Health.RED, "Unreachable");
    }
    switch (m.verdict()) {
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
    if (m.pastGrace() && (m.verdict().equals("Behind") || m.verdict().equals("Ahead"))) {
      // Behind or Ahead with evidence, past the grace period: the operator's sharpened Diverged.
      return new Colour(Health.RED, m.verdict() + " (past grace)");
    }
    if (m.starting()) {
      return new Colour(Health.YELLOW, m.startingLabel());
    }
    if (m.verdict().equals("Behind") || m.verdict().equals("Ahead")) {
      return new Colour(Health.YELLOW, m.verdict() + " (within grace)");
    }
    if (m.verdict().equals("Unobserved")) {
      return new Colour(Health.YELLOW, "Not observed yet");
    }
    if (m.mode().equals("HTTP")) {
      return new Colour(Health.YELLOW, m.httpLabel());
    }
    if (m.mode().equals("P2P") && m.verdict().equals("Consistent")) {
      return new Colour(Health.GREEN, "Healthy: P2P, Consistent");
    }
    return new Colour(Health.YELLOW, "Unknown state: " + m.mode() + ", " + m.verdict());
  }

  private static Colour nodeColour(
      JsonNode status, String phase, String mode, String wanted, String verdict, JsonNode reachable) {
    String reach = reachable == null ? "" : reachable.path("status").asText();
    boolean starting = status.isMissingNode() || status.isNull() || phase.equals("Pending") || phase.equals(NONE)
        || reach.equals("Unknown");
    return colour(new MemberFacts(phase.equals("Invalid"), reach, verdict, status.hasNonNull("divergedSince"),
        starting, "Starting", mode, wanted.equals("http") ? "HTTP (forced)" : "HTTP fallback"));
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

  private static EventView eventView(JsonNode e) {
    Instant when = when(e);
    return new EventView(orNone(e.path("reason")), orNone(e.path("message")),
        when.equals(Instant.EPOCH) ? NONE : when.toString());
  }

  /** The Events about each object of {@code kind} ({@code namespace/name}), newest first. */
  static Map<String, List<JsonNode>> eventsPer(String kind, List<JsonNode> events) {
    Map<String, List<JsonNode>> byNode = new HashMap<>();
    for (JsonNode e : events) {
      JsonNode obj = e.path("involvedObject");
      if (!kind.equals(obj.path("kind").asText())) {
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

  static String text(JsonNode v) {
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }

  static String orNone(JsonNode v) {
    return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? NONE : v.asText();
  }
}
