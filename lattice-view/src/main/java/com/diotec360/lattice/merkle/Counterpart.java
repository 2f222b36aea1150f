package com.diotec360.lattice.merkle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The member a node's Merkle trie is compared with, chosen the same way wherever a comparison or a
 * repair needs one: the operator's {@code status.divergence}, its self-heal (which resyncs from
 * it) and {@code kubectl lattice diff}.
 *
 * <ol>
 *   <li>A member holding the lattice's reference root, first by name: the root the lattice agrees
 *       on is what the node is measured against.
 *   <li>Without a reference root, or with nobody else holding it: the biggest group of members on
 *       another root than the node's (split: the biggest other side), first by name.
 *   <li>Else a member on the node's own root (nothing differs; a caller may refuse it).
 * </ol>
 *
 * @param name the member chosen
 * @param root its root
 * @param why which of the three rules chose it
 * @param sideSize how many members hold that root, the node itself excluded
 */
public record Counterpart(String name, String root, Why why, int sideSize) {

  /** Which rule chose the counterpart. */
  public enum Why {
    HOLDS_REFERENCE,
    OTHER_SIDE,
    SAME_ROOT
  }

  /**
   * Chooses among {@code roots} (member name to its probed root; members without a root are left
   * out by the caller) the member to compare {@code self} with.
   *
   * @param referenceRoot the lattice's reference root, or null when it has none
   */
  public static Optional<Counterpart> choose(String self, Map<String, String> roots, String referenceRoot) {
    String own = roots.get(self);
    Map<String, List<String>> sides = new TreeMap<>();
    new TreeMap<>(roots).forEach((name, root) -> {
      if (!name.equals(self) && root != null) {
        sides.computeIfAbsent(root, r -> new ArrayList<>()).add(name);
      }
    });
    if (referenceRoot != null && sides.containsKey(referenceRoot)) {
      List<String> holders = sides.get(referenceRoot);
      return Optional.of(new Counterpart(holders.get(0), referenceRoot, Why.HOLDS_REFERENCE, holders.size()));
    }
    return sides.entrySet().stream()
        .min(Comparator.comparing((Map.Entry<String, List<String>> side) -> Objects.equals(side.getKey(), own))
            .thenComparing(side -> -side.getValue().size())
            .thenComparing(side -> side.getValue().get(0)))
        .map(side -> new Counterpart(side.getValue().get(0), side.getKey(),
            Objects.equals(side.getKey(), own) ? Why.SAME_ROOT : Why.OTHER_SIDE, side.getValue().size()));
  }
}
