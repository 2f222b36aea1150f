package com.diotec360.lattice.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The two-sided trie walk against tries built here the way the reference node builds them. */
class MerkleComparisonTest {

  static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");

  /** A trie of depth 4 over entry ids (leaf = first 4 hex digits), answering like the node. */
  record Trie(Set<String> ids) {
    String hash(String prefix) {
      StringBuilder all = new StringBuilder(prefix);
      ids.stream().filter(id -> id.startsWith(prefix)).sorted().forEach(all::append);
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    TreeAnswer answer(List<String> prefixes) {
      List<TreeAnswer.TreeNode> nodes = new ArrayList<>();
      for (String p : prefixes) {
        if (p.length() < MerkleComparison.DEPTH) {
          List<String> children = IntStream.range(0, 16).mapToObj(c -> hash(p + Integer.toHexString(c))).toList();
          nodes.add(new TreeAnswer.TreeNode(p, hash(p), children, null));
        } else {
          nodes.add(new TreeAnswer.TreeNode(p, hash(p), null, ids.stream().filter(id -> id.startsWith(p)).sorted().toList()));
        }
      }
      return new TreeAnswer(nodes, 100L * prefixes.size());
    }
  }

  static String id(int i) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("e" + i).getBytes()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void countsMissingAndExtraEntriesWithSamplesAndBuckets() {
    Set<String> common = new TreeSet<>();
    IntStream.range(0, 1000).forEach(i -> common.add(id(i)));
    Set<String> node = new TreeSet<>(common);
    Set<String> other = new TreeSet<>(common);
    node.add(id(5000));
    IntStream.range(6000, 6003).forEach(i -> other.add(id(i)));

    MerkleComparison.Evidence e =
        MerkleComparison.compare(new Trie(node)::answer, "ref", new Trie(other)::answer, NOW);

    assertThat(e.available()).isTrue();
    assertThat(e.missing()).isEqualTo(3);
    assertThat(e.extra()).isEqualTo(1);
    assertThat(e.missingSamples()).containsExactlyInAnyOrder(id(6000), id(6001), id(6002));
    assertThat(e.extraSamples()).containsExactly(id(5000));
    assertThat(e.buckets()).hasSize(4).allSatisfy(b -> assertThat(b).hasSize(4));
    assertThat(e.requests()).isEqualTo(10);
    assertThat(e.truncated()).isFalse();
    assertThat(e.sentence("n2")).startsWith("n2 lacks 3 entries ref holds and holds 1 entry ref lacks; buckets ");
  }

  @Test
  void manyDifferencesAreFollowedOnlySoFarAndSaySo() {
    Set<String> node = new TreeSet<>();
    Set<String> other = new TreeSet<>();
    IntStream.range(0, 5000).forEach(i -> other.add(id(i)));

    MerkleComparison.Evidence e =
        MerkleComparison.compare(new Trie(node)::answer, "ref", new Trie(other)::answer, NOW);

    assertThat(e.truncated()).isTrue();
    assertThat(e.requests()).isEqualTo(10);
    assertThat(e.missing()).isPositive().isLessThan(5000);
    assertThat(e.sentence("n2")).startsWith("n2 lacks at least ");
  }

  @Test
  void aNodeWithoutTheTreeGetsARootOnlyVerdict() {
    TreeReader old = prefixes -> {
      throw new UnsupportedOperationException("the node does not serve POST /api/lattice/tree (answered 404)");
    };
    MerkleComparison.Evidence e = MerkleComparison.compare(old, "ref", old, NOW);
    assertThat(e.available()).isFalse();
    assertThat(e.sentence("n2")).startsWith("no Merkle comparison of n2 with ref: ");
  }
}
