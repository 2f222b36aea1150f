package com.diotec360.lattice.operator.judge;

import java.util.Map;

/**
 * The judgement of a whole lattice.
 *
 * @param referenceRoot the root members are compared with, or null when there is no quorum
 * @param expectedRootOverride true when the reference came from spec.expectedMerkleRoot
 * @param agreeing eligible members holding the reference root
 * @param total all members of the lattice, reachable or not (the quorum's denominator)
 * @param members the verdict per member name
 * @param roots the root each eligible member holds, by member name
 */
public record LatticeJudgement(
    String referenceRoot,
    boolean expectedRootOverride,
    int agreeing,
    int total,
    Map<String, MemberJudgement> members,
    Map<String, String> roots) {

  /**
   * The sides of a split lattice in words, e.g. {@code "07a313c836d3 held by node1; 5f0c2a9e41d7
   * held by node2"}: each root (12 characters) with its holders, the root held by most first.
   */
  public String sides() {
    Map<String, java.util.List<String>> byRoot = new java.util.TreeMap<>();
    roots.forEach((member, root) -> byRoot.computeIfAbsent(root, r -> new java.util.ArrayList<>()).add(member));
    return byRoot.entrySet().stream()
        .sorted(java.util.Comparator.comparing((Map.Entry<String, java.util.List<String>> e) -> -e.getValue().size())
            .thenComparing(Map.Entry::getKey))
        .map(e -> e.getKey().substring(0, Math.min(12, e.getKey().length())) + " held by "
            + String.join(", ", e.getValue().stream().sorted().toList()))
        .collect(java.util.stream.Collectors.joining("; "));
  }

  /**
   * The same judgement with the roots of {@code left} out: counterparts are then chosen among the
   * others only (a repair pulls only from a member the operator runs).
   */
  public LatticeJudgement withoutRootsOf(java.util.Set<String> left) {
    if (left.isEmpty()) {
      return this;
    }
    Map<String, String> kept = new java.util.LinkedHashMap<>(roots);
    kept.keySet().removeAll(left);
    return new LatticeJudgement(referenceRoot, expectedRootOverride, agreeing, total, members, kept);
  }

  public boolean hasQuorum() {
    return referenceRoot != null;
  }

  public MemberJudgement of(String member) {
    MemberJudgement judgement = members.get(member);
    if (judgement == null) {
      throw new IllegalArgumentException(member + " is not a member of the judged lattice");
    }
    return judgement;
  }
}
