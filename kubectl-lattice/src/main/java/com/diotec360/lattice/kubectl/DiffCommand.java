package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.merkle.MerkleComparison;
import com.diotec360.lattice.merkle.MerkleComparison.Evidence;
import com.diotec360.lattice.view.HumanTime;
import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.diotec360.lattice.view.NodeView;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl lattice diff NODE [--against NODE]}: which entries two nodes disagree on, asked
 * of the nodes now. It walks both Merkle tries level by level ({@link MerkleComparison}, the walk
 * the operator runs for {@code status.divergence}), reaching each node through the API server's
 * service proxy ({@link ProxiedTrees}), so it works from outside the cluster with the user's
 * credentials. Without {@code --against} the other node is one holding the lattice's reference
 * root or, when there is none (a split), one of the biggest other side.
 *
 * <p>When the walk is impossible (no {@code services/proxy} permission, no running pod, a node
 * image without the tree) it says why and falls back to what the operator last found and to the
 * roots. Exit 0 unless the command fails; with {@code --exit-code}, 1 when the nodes differ or
 * could not be compared (as {@code git diff --exit-code}).
 */
final class DiffCommand {

  private final KubernetesClient client;
  private final KubectlLattice.Cli cli;

  DiffCommand(KubernetesClient client, KubectlLattice.Cli cli) {
    this.client = client;
    this.cli = cli;
  }

  /** The node to compare with, and why that one. */
  record Counterpart(NodeView node, String why) {}

  int run(Args args, KubectlLattice.Scope scope) throws UsageException {
    if (scope.all()) {
      throw new UsageException("diff compares nodes of one namespace: use -n, not -A");
    }
    if (args.positional().size() != 1) {
      throw new UsageException("diff needs exactly one NODE, e.g. kubectl lattice diff node2-local");
    }
    String name = args.positional().get(0);
    Observed observed = Observed.read(client, scope);
    JsonNode raw = observed.node(name, scope);
    NodeView node = find(observed, name);
    LatticeView lattice = observed.views().stream()
        .filter(l -> l.nodes().stream().anyMatch(n -> n.name().equals(name)))
        .findFirst().orElseThrow();
    Optional<Counterpart> other;
    if (args.has("--against")) {
      String against = args.value("--against", null);
      if (against.equals(name)) {
        throw new UsageException("--against names " + name + " itself: give another node");
      }
      observed.node(against, scope);
      NodeView chosen = find(observed, against);
      other = Optional.of(new Counterpart(chosen, chosen.lattice().equals(node.lattice())
          ? "as asked" : "as asked; it is in lattice " + chosen.lattice() + ", " + name + " in " + node.lattice()));
    } else {
      other = counterpart(lattice, node);
    }

    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("NODE", name + " (lattice " + node.lattice() + ", version " + node.version() + ", verdict "
        + node.verdict() + ")  root " + node.root() + written(node));
    if (other.isEmpty()) {
      rows.put("AGAINST", "nobody: no other member of lattice " + node.lattice()
          + " has a probed root; name one with --against NODE");
      print(rows);
      return args.has("--exit-code") ? 1 : 0;
    }
    NodeView against = other.get().node();
    rows.put("AGAINST", against.name() + " (" + other.get().why() + ")  root " + against.root() + written(against));
    boolean rootsKnown = !node.root().equals(LatticeViews.NONE) && !against.root().equals(LatticeViews.NONE);
    // The roots above are as the operator last wrote them (not live under traffic); the ROOTS line
    // says what the walk found now when it could walk, else what the written roots say.
    rows.put("ROOTS", !rootsKnown ? "not both probed by the operator yet"
        : (node.root().equals(against.root()) ? "same" : "differ") + " (as written)");

    long started = System.nanoTime();
    Evidence live = MerkleComparison.compare(
        ProxiedTrees.of(client, scope.namespace(), name), against.name(),
        ProxiedTrees.of(client, scope.namespace(), against.name()), cli.clock().instant());
    long millis = (System.nanoTime() - started) / 1_000_000;
    boolean differs;
    if (live.available()) {
      boolean same = live.missing() == 0 && live.extra() == 0 && !live.truncated();
      rows.put("ROOTS", (same ? "same" : "differ") + " (now)"
          + (rootsKnown && node.root().equals(against.root()) != same
              ? "; the written roots say " + (same ? "they differ" : "they are the same")
                  + ": the operator writes roots at most once per its refresh interval while data flows"
              : ""));
      rows.put("ENTRIES", live.sentence(name));
      if (!live.missingSamples().isEmpty()) {
        rows.put("  lacks", String.join(", ", live.missingSamples()) + more(live.missing(), live.missingSamples().size()));
      }
      if (!live.extraSamples().isEmpty()) {
        rows.put("  only here", String.join(", ", live.extraSamples()) + more(live.extra(), live.extraSamples().size()));
      }
      rows.put("COMPARED", "now, through the API server's service proxy: " + live.requests() + " tree requests, "
          + kib(live.bytes()) + ", " + millis + " ms" + (live.truncated() ? "; more buckets differ than one walk follows,"
          + " so the counts are lower bounds" : ""));
      differs = live.missing() > 0 || live.extra() > 0 || live.truncated();
    } else {
      rows.put("ENTRIES", "not compared now: " + live.unavailable());
      operatorEvidence(raw, against.name()).ifPresent(e -> rows.put("OPERATOR", e));
      differs = !rootsKnown || !node.root().equals(against.root());
    }
    print(rows);
    return args.has("--exit-code") && differs ? 1 : 0;
  }

  /**
   * Whom to compare {@code node} with: a member holding the reference root (judged Consistent by
   * the operator, or whose written root is the Lattice's reference root); without one (split, no
   * quorum) the biggest group of members on another root than the node's; first by name. The
   * verdict comes first because written roots are not live: under traffic two members that agree
   * may have had their roots written a few seconds apart.
   */
  static Optional<Counterpart> counterpart(LatticeView lattice, NodeView node) {
    String reference = lattice.referenceRoot().equals(LatticeViews.NONE) ? null : lattice.referenceRoot();
    Map<String, NodeView> byName = new LinkedHashMap<>();
    Map<String, String> roots = new LinkedHashMap<>();
    for (NodeView n : lattice.nodes()) {
      if (n.root().equals(LatticeViews.NONE)) {
        continue;
      }
      byName.put(n.name(), n);
      // The verdict first: a member judged Consistent holds the reference root, even when its
      // written root is a few seconds older than another's.
      boolean agrees = reference != null && !n.name().equals(node.name()) && n.verdict().equals("Consistent");
      roots.put(n.name(), agrees ? reference : n.root());
    }
    return com.diotec360.lattice.merkle.Counterpart.choose(node.name(), roots, reference)
        .map(chosen -> new Counterpart(byName.get(chosen.name()), switch (chosen.why()) {
          case HOLDS_REFERENCE -> "holds the reference root";
          case SAME_ROOT -> "no reference root; every other member holds " + node.name() + "'s root";
          case OTHER_SIDE -> "no reference root; " + (chosen.sideSize() == 1 ? "another side"
              : "the biggest other side, " + chosen.sideSize() + " members");
        }));
  }

  /** What the operator last wrote to {@code status.divergence}, when it compared with that node. */
  private Optional<String> operatorEvidence(JsonNode raw, String against) {
    JsonNode d = raw.at("/status/divergence");
    if (!d.hasNonNull("summary")) {
      return Optional.empty();
    }
    String with = d.path("comparedWith").asText("");
    String when = d.hasNonNull("at")
        ? HumanTime.age(d.path("at").asText(), cli.clock().instant()) + " ago" : "at an unknown time";
    return Optional.of(d.path("summary").asText() + "  (status.divergence, compared " + when
        + (with.equals(against) || with.isEmpty() ? "" : " with " + with) + ")");
  }

  /** When the operator wrote the node's root and version: " (written 40s ago)", or nothing. */
  private String written(NodeView n) {
    return n.root().equals(LatticeViews.NONE) || n.rootWrittenAt().equals(LatticeViews.NONE) ? ""
        : " (written " + HumanTime.relative(n.rootWrittenAt(), cli.clock().instant()) + ")";
  }

  private void print(Map<String, String> rows) {
    PrintStream out = cli.out();
    rows.forEach((k, v) -> out.printf("%-11s %s%n", k, v));
  }

  private static String more(int total, int shown) {
    return total > shown ? " (and " + (total - shown) + " more)" : "";
  }

  private static String kib(long bytes) {
    return bytes < 1024 ? bytes + " B" : String.format("%.1f KiB", bytes / 1024.0);
  }

  private static NodeView find(Observed observed, String name) {
    return observed.views().stream().flatMap(l -> l.nodes().stream())
        .filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }
}
