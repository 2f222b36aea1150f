package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.diotec360.lattice.view.NodeView;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@code kubectl lattice diff NODE [--against NODE]}: root-only for now. It compares the Merkle
 * roots the operator last probed ({@code status.merkleRoot}) of NODE and the lattice's reference
 * root, or another node. The bucket-level Merkle comparison (which entries differ) is being built
 * in the operator separately; this command says so rather than pretend. Exit 0 unless the command
 * fails; with {@code --exit-code}, 1 when the roots differ or cannot be compared (as
 * {@code git diff --exit-code}).
 */
final class DiffCommand {

  static final String NOT_YET =
      "bucket-level diff: not available yet (the operator does not publish its Merkle buckets yet);"
          + " this compares whole roots only, as the operator last probed them";

  private final KubernetesClient client;
  private final KubectlLattice.Cli cli;

  DiffCommand(KubernetesClient client, KubectlLattice.Cli cli) {
    this.client = client;
    this.cli = cli;
  }

  int run(Args args, KubectlLattice.Scope scope) throws UsageException {
    if (scope.all()) {
      throw new UsageException("diff compares nodes of one namespace: use -n, not -A");
    }
    if (args.positional().size() != 1) {
      throw new UsageException("diff needs exactly one NODE, e.g. kubectl lattice diff node2-local");
    }
    String name = args.positional().get(0);
    Observed observed = Observed.read(client, scope);
    observed.node(name, scope);
    NodeView node = find(observed, name);
    LatticeView lattice = observed.lattices().stream()
        .filter(l -> l.nodes().stream().anyMatch(n -> n.name().equals(name)))
        .findFirst().orElseThrow();
    String otherRoot;
    String otherLabel;
    if (args.has("--against")) {
      String against = args.value("--against", null);
      observed.node(against, scope);
      NodeView other = find(observed, against);
      if (!other.lattice().equals(node.lattice())) {
        cli.out().println("note: " + against + " is in lattice " + other.lattice() + ", " + name + " in " + node.lattice());
      }
      otherRoot = other.root();
      otherLabel = against + " (version " + other.version() + ")";
    } else {
      otherRoot = lattice.referenceRoot();
      otherLabel = "the reference root of lattice " + lattice.name() + " (agreeing " + lattice.agreeing() + ")";
    }
    cli.out().println(name + " (version " + node.version() + "): " + node.root());
    cli.out().println(otherLabel + ": " + otherRoot);
    boolean comparable = !node.root().equals(LatticeViews.NONE) && !otherRoot.equals(LatticeViews.NONE);
    boolean same = comparable && node.root().equals(otherRoot);
    if (!comparable) {
      cli.out().println("result: cannot compare (" + (node.root().equals(LatticeViews.NONE)
          ? name + " has no probed root yet" : args.has("--against") ? "the other node has no probed root yet"
          : "the lattice has no reference root: no quorum") + ")");
    } else {
      cli.out().println("result: " + (same ? "same root" : "roots differ") + " (verdict of " + name + ": " + node.verdict() + ")");
    }
    cli.out().println(NOT_YET);
    return args.has("--exit-code") && !same ? 1 : 0;
  }

  private static NodeView find(Observed observed, String name) {
    return observed.lattices().stream().flatMap(l -> l.nodes().stream())
        .filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }
}
