package com.diotec360.lattice.merkle;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where two nodes' Merkle tries differ: the same walk anti-entropy does, but read-only and on both
 * sides. The operator runs it for a diverged member ({@code status.divergence}); {@code kubectl
 * lattice diff} runs it on demand; both read the tries through a {@link TreeReader}. Level by level, both nodes are asked for the same prefixes ({@code POST
 * /api/lattice/tree}, one request per node and level); only children whose hashes differ are
 * followed, and at the leaves the entry ids are compared. For d differing entries among n that
 * is about d·log₁₆ n hashes per side.
 *
 * <p>Bounded: at most {@link #MAX_PREFIXES} prefixes per level (so one request per node and
 * level, {@code 2 × (DEPTH + 1)} = 10 requests and a few hundred KiB per comparison); beyond that
 * the first prefixes are followed and the counts are lower bounds ({@code truncated}). Each request
 * is bounded by the node client's timeouts.
 */
public final class MerkleComparison {

  /** The reference node's trie depth: leaves are 4 hex characters (node contract). */
  public static final int DEPTH = 4;

  /** Prefixes followed per level: a differing bucket count above this truncates the evidence. */
  public static final int MAX_PREFIXES = 256;

  /** Sample entry ids kept, missing and extra together. */
  public static final int SAMPLES = 5;

  /** Differing leaf buckets kept. */
  public static final int BUCKETS = 5;

  /**
   * What a comparison found.
   *
   * @param comparedWith the member the node was compared with
   * @param missing entries the other member holds and the node lacks (a lower bound if truncated)
   * @param extra entries the node holds and the other member lacks (a lower bound if truncated)
   * @param buckets the first differing leaf prefixes
   * @param missingSamples ids of entries the node lacks
   * @param extraSamples ids of entries only the node holds
   * @param truncated more prefixes differed than a comparison follows
   * @param requests tree requests made, both nodes together
   * @param bytes answer bytes read
   * @param unavailable why no comparison could be made (the node does not serve the tree, a
   *     request failed), else null
   */
  public record Evidence(
      String comparedWith,
      Instant at,
      int missing,
      int extra,
      List<String> buckets,
      List<String> missingSamples,
      List<String> extraSamples,
      boolean truncated,
      int requests,
      long bytes,
      String unavailable) {

    public static Evidence unavailable(String comparedWith, Instant at, String why, int requests, long bytes) {
      return new Evidence(comparedWith, at, 0, 0, List.of(), List.of(), List.of(), false, requests, bytes, why);
    }

    /** True when a comparison was made. */
    public boolean available() {
      return unavailable == null;
    }

    /** The evidence in one sentence, e.g. "node2 lacks 3 entries and holds 1 that node1 lacks; buckets 0a3f, 7f10". */
    public String sentence(String node) {
      if (!available()) {
        return "no Merkle comparison of " + node + " with " + comparedWith + ": " + unavailable;
      }
      String atLeast = truncated ? "at least " : "";
      List<String> parts = new ArrayList<>();
      if (missing > 0) {
        parts.add("lacks " + atLeast + missing + (missing == 1 ? " entry" : " entries") + " " + comparedWith + " holds");
      }
      if (extra > 0) {
        parts.add("holds " + atLeast + extra + (extra == 1 ? " entry" : " entries") + " " + comparedWith + " lacks");
      }
      String what = parts.isEmpty() ? "holds the same entries as " + comparedWith : String.join(" and ", parts);
      return node + " " + what + (buckets.isEmpty() ? "" : "; buckets " + String.join(", ", buckets));
    }
  }

  private MerkleComparison() {}

  /**
   * Compares {@code node}'s trie with {@code otherTrie}.
   *
   * @param other the other member's name, for the evidence
   */
  public static Evidence compare(TreeReader node, String other, TreeReader otherTrie, Instant now) {
    int requests = 0;
    long bytes = 0;
    List<String> frontier = List.of("");
    boolean truncated = false;
    Set<String> missing = new TreeSet<>();
    Set<String> extra = new TreeSet<>();
    List<String> buckets = new ArrayList<>();
    int missingCount = 0;
    int extraCount = 0;
    try {
      while (!frontier.isEmpty()) {
        TreeAnswer mine = node.tree(frontier);
        TreeAnswer theirs = otherTrie.tree(frontier);
        requests += 2;
        bytes += mine.bytes() + theirs.bytes();
        if (mine.nodes().size() != frontier.size() || theirs.nodes().size() != frontier.size()) {
          return Evidence.unavailable(other, now, "a node answered the wrong number of tree prefixes", requests, bytes);
        }
        TreeSet<String> next = new TreeSet<>();
        for (int i = 0; i < frontier.size(); i++) {
          TreeAnswer.TreeNode a = mine.nodes().get(i);
          TreeAnswer.TreeNode b = theirs.nodes().get(i);
          if (a.hash().equals(b.hash())) {
            continue;
          }
          String prefix = frontier.get(i);
          if (a.children() != null && b.children() != null && a.children().size() == b.children().size()) {
            for (int c = 0; c < a.children().size(); c++) {
              if (!a.children().get(c).equals(b.children().get(c))) {
                next.add(prefix + Integer.toHexString(c));
              }
            }
          } else {
            Set<String> ours = new HashSet<>(a.ids() == null ? List.of() : a.ids());
            Set<String> others = new HashSet<>(b.ids() == null ? List.of() : b.ids());
            boolean differs = false;
            for (String id : others) {
              if (!ours.contains(id)) {
                missingCount++;
                missing.add(id);
                differs = true;
              }
            }
            for (String id : ours) {
              if (!others.contains(id)) {
                extraCount++;
                extra.add(id);
                differs = true;
              }
            }
            if (differs && buckets.size() < BUCKETS) {
              buckets.add(prefix);
            }
          }
        }
        if (next.size() > MAX_PREFIXES) {
          truncated = true;
        }
        frontier = next.stream().limit(MAX_PREFIXES).toList();
        if (requests > 2 * (DEPTH + 2)) {
          return Evidence.unavailable(other, now, "the tries are deeper than " + DEPTH + " levels", requests, bytes);
        }
      }
    } catch (UnsupportedOperationException e) {
      return Evidence.unavailable(other, now, e.getMessage(), requests, bytes);
    } catch (IOException | RuntimeException e) {
      return Evidence.unavailable(other, now, "the comparison failed: " + e.getMessage(), requests, bytes);
    }
    List<String> missingSamples = missing.stream().limit(SAMPLES).toList();
    List<String> extraSamples = extra.stream().limit(SAMPLES - missingSamples.size()).toList();
    return new Evidence(other, now, missingCount, extraCount, List.copyOf(buckets), missingSamples,
        extraSamples, truncated, requests, bytes, null);
  }
}
