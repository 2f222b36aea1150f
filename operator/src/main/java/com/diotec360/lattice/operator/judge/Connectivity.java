package com.diotec360.lattice.operator.judge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which members of a lattice reach which, from what each node says of its peers: P2P links, and
 * HTTP polls that fail. Gives the cause to put in a degraded member's conditions ("node2 has no
 * P2P link to any member; its HTTP polls of node1 fail: connection refused") and a compact
 * partition summary for the lattice.
 *
 * <p>Plain Java: links in, words out.
 */
public final class Connectivity {

  /** One member's view of another: P2P link up; the error of its failing HTTP polls, or null. */
  public record Link(String to, boolean p2p, String httpError) {}

  private final Map<String, List<Link>> links;

  /**
   * @param links per member that answered probes, its links to the other members (links to peers
   *     outside the lattice left out)
   */
  public Connectivity(Map<String, List<Link>> links) {
    this.links = new TreeMap<>(links);
  }

  /** Why the member is cut off, in words, or null when it has a P2P link and no failing polls. */
  public String causeFor(String member) {
    List<Link> own = links.get(member);
    if (own == null || own.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    boolean anyP2p = own.stream().anyMatch(Link::p2p);
    if (!anyP2p) {
      parts.add(member + " has no P2P link to any member");
    }
    List<String> failing =
        own.stream()
            .filter(l -> l.httpError() != null)
            .map(l -> l.to() + " fail: " + l.httpError())
            .sorted()
            .toList();
    if (!failing.isEmpty()) {
      parts.add((anyP2p ? member + "'s" : "its") + " HTTP polls of " + String.join("; of ", failing));
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  /**
   * The partition in one line, e.g. {@code "P2P groups: [a, b] [c]; HTTP failing: c→a (connection
   * refused)"}, or null when every member that answered is P2P-connected with all others in one
   * group and no HTTP poll fails.
   */
  public String summary() {
    Map<String, String> group = new HashMap<>();
    links.keySet().forEach(m -> group.put(m, m));
    for (var entry : links.entrySet()) {
      for (Link l : entry.getValue()) {
        if (l.p2p() && links.containsKey(l.to())) {
          union(group, entry.getKey(), l.to());
        }
      }
    }
    Map<String, TreeSet<String>> groups = new TreeMap<>();
    links.keySet().forEach(m -> groups.computeIfAbsent(find(group, m), k -> new TreeSet<>()).add(m));
    List<String> failing = new ArrayList<>();
    links.forEach((from, own) -> own.stream()
        .filter(l -> l.httpError() != null)
        .forEach(l -> failing.add(from + "→" + l.to() + " (" + l.httpError() + ")")));
    List<String> parts = new ArrayList<>();
    if (groups.size() > 1) {
      parts.add("P2P groups: " + groups.values().stream()
          .sorted((a, b) -> a.first().compareTo(b.first()))
          .map(g -> "[" + String.join(", ", g) + "]")
          .collect(Collectors.joining(" ")));
    }
    if (!failing.isEmpty()) {
      failing.sort(null);
      parts.add("HTTP failing: " + String.join(", ", failing));
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  private static void union(Map<String, String> group, String a, String b) {
    String ra = find(group, a);
    String rb = find(group, b);
    if (!Objects.equals(ra, rb)) {
      group.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
    }
  }

  private static String find(Map<String, String> group, String m) {
    String r = m;
    while (!group.get(r).equals(r)) {
      r = group.get(r);
    }
    return r;
  }
}
