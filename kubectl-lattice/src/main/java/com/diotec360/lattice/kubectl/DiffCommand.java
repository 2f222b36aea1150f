package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.merkle.MerkleComparison;
import com.diotec360.lattice.merkle.MerkleComparison.Evidence;
import com.diotec360.lattice.merkle.TreeReader;
import com.diotec360.lattice.view.HumanTime;
import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl lattice diff NODE [AGAINST | --against AGAINST]}: which entries two members
 * disagree on, asked of the members now. It walks both Merkle tries level by level ({@link
 * MerkleComparison}, the walk the operator runs for {@code status.divergence}). A LatticeNode is
 * reached through the API server's service proxy ({@link ProxiedTrees}), so it works from outside
 * the cluster with the user's credentials; an external member (a Lattice's {@code
 * spec.externalMembers}) runs outside the cluster, so it is reached directly at its url ({@link
 * ExternalTrees}), with the headers and CA its Secrets hold, read with the user's kubeconfig ({@link
 * ExternalMemberAccess}). Without AGAINST the other member is one holding the lattice's reference
 * root or, when there is none (a split), one of the biggest other side; of several such members a
 * LatticeNode is preferred, as the service proxy reaches it wherever the user is.
 *
 * <p>When the walk is impossible (no {@code services/proxy} permission, no running pod, a node
 * image without the tree, an external member this machine cannot reach or whose Secret the user may
 * not read) it says why and falls back to what the operator last found and to the roots. Exit 0
 * unless the command fails; with {@code --exit-code}, 1 when the members differ or could not be
 * compared (as {@code git diff --exit-code}). No header value is ever printed: every line goes
 * through a {@link Redactor} that knows the Secrets read.
 */
final class DiffCommand {

  private final KubernetesClient client;
  private final KubectlLattice.Cli cli;
  private final Redactor redactor = new Redactor();

  DiffCommand(KubernetesClient client, KubectlLattice.Cli cli) {
    this.client = client;
    this.cli = cli;
  }

  /** The member to compare with, and why that one. */
  record Counterpart(DiffMember member, String why) {}

  int run(Args args, KubectlLattice.Scope scope) throws UsageException {
    if (scope.all()) {
      throw new UsageException("diff compares members of one namespace: use -n, not -A");
    }
    List<String> positional = args.positional();
    if (positional.isEmpty() || positional.size() > 2) {
      throw new UsageException("diff needs one NODE and at most one member to compare it with, e.g."
          + " kubectl lattice diff node2-local or kubectl lattice diff node2-local node1-huggingface");
    }
    if (positional.size() == 2 && args.has("--against")) {
      throw new UsageException("give the member to compare with once: as the second argument or as --against");
    }
    String name = positional.get(0);
    String againstName = positional.size() == 2 ? positional.get(1) : args.value("--against", null);
    Observed observed = Observed.read(client, scope);
    DiffMember node = DiffMember.find(observed, name, scope);
    Optional<Counterpart> other;
    if (againstName != null) {
      if (againstName.equals(name)) {
        throw new UsageException(againstName + " is " + name + " itself: compare it with another member");
      }
      DiffMember chosen = DiffMember.find(observed, againstName, scope);
      other = Optional.of(new Counterpart(chosen, chosen.lattice().equals(node.lattice())
          ? "as asked" : "as asked; it is in lattice " + chosen.lattice() + ", " + name + " in " + node.lattice()));
    } else {
      LatticeView lattice = observed.views().stream()
          .filter(l -> l.name().equals(node.lattice()) && DiffMember.of(l, observed).stream().anyMatch(m -> m.name().equals(name)))
          .findFirst().orElseThrow();
      other = counterpart(lattice.referenceRoot(), DiffMember.of(lattice, observed), node);
    }

    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("NODE", name + " (" + kind(node) + "lattice " + node.lattice() + ", version " + node.version()
        + ", verdict " + node.verdict() + ")  root " + node.root() + written(node));
    if (other.isEmpty()) {
      rows.put("AGAINST", "nobody: no other member of lattice " + node.lattice()
          + " has a probed root; name one with --against NODE");
      print(rows);
      return args.has("--exit-code") ? 1 : 0;
    }
    DiffMember against = other.get().member();
    rows.put("AGAINST", against.name() + " (" + kind(against) + other.get().why() + ")  root " + against.root()
        + written(against));
    boolean rootsKnown = !node.root().equals(LatticeViews.NONE) && !against.root().equals(LatticeViews.NONE);
    // The roots above are as the operator last wrote them (not live under traffic); the ROOTS line
    // says what the walk found now when it could walk, else what the written roots say.
    rows.put("ROOTS", !rootsKnown ? "not both probed by the operator yet"
        : (node.root().equals(against.root()) ? "same" : "differ") + " (as written)");

    long started = System.nanoTime();
    Evidence live;
    List<ExternalTrees> opened = new ArrayList<>();
    try {
      live = MerkleComparison.compare(trees(node, scope, opened), against.name(), trees(against, scope, opened),
          cli.clock().instant());
    } catch (ExternalMemberAccess.Refused e) {
      live = Evidence.unavailable(against.name(), cli.clock().instant(), e.getMessage(), 0, 0);
    } finally {
      opened.forEach(ExternalTrees::close);
    }
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
      rows.put("COMPARED", "now, " + reached(node, against) + ": " + live.requests() + " tree requests, "
          + kib(live.bytes()) + ", " + millis + " ms" + (live.truncated() ? "; more buckets differ than one walk follows,"
          + " so the counts are lower bounds" : ""));
      differs = live.missing() > 0 || live.extra() > 0 || live.truncated();
    } else {
      rows.put("ENTRIES", "not compared now: " + live.unavailable());
      operatorEvidence(node, observed, against.name()).ifPresent(e -> rows.put("OPERATOR", e));
      differs = !rootsKnown || !node.root().equals(against.root());
    }
    print(rows);
    return args.has("--exit-code") && differs ? 1 : 0;
  }

  /** Stands for the reference root when only the verdicts say who holds it. */
  private static final String JUDGED_CONSISTENT = "(the root of the members judged Consistent)";

  /**
   * Whom to compare {@code node} with: a member holding the reference root (judged Consistent by
   * the operator, or whose written root is the Lattice's reference root); without one (split, no
   * quorum) the biggest group of members on another root than the node's; first by name. The
   * verdict comes first because written roots are not live: under traffic two members that agree
   * may have had their roots written a few seconds apart. External members count like LatticeNodes
   * (they are members, and the operator judges them alike); of the members holding the chosen root a
   * LatticeNode is taken first, because the service proxy reaches it from wherever the user is.
   * Without the reference root (a user who may read LatticeNodes but not Lattices), the members
   * judged Consistent still hold it, whatever their written roots say: they are taken first.
   *
   * @param referenceRoot the Lattice's {@code status.referenceRoot}, or "-" when unknown
   */
  static Optional<Counterpart> counterpart(String referenceRoot, List<DiffMember> members, DiffMember node) {
    String reference = referenceRoot.equals(LatticeViews.NONE) ? null : referenceRoot;
    boolean judgedOnly = reference == null && members.stream()
        .anyMatch(m -> !m.name().equals(node.name()) && m.verdict().equals("Consistent") && !m.root().equals(LatticeViews.NONE));
    if (judgedOnly) {
      reference = JUDGED_CONSISTENT;
    }
    Map<String, DiffMember> byName = new LinkedHashMap<>();
    Map<String, String> roots = new LinkedHashMap<>();
    for (DiffMember m : members) {
      if (m.root().equals(LatticeViews.NONE)) {
        continue;
      }
      byName.put(m.name(), m);
      // The verdict first: a member judged Consistent holds the reference root, even when its
      // written root is a few seconds older than another's.
      boolean agrees = reference != null && !m.name().equals(node.name()) && m.verdict().equals("Consistent");
      roots.put(m.name(), agrees ? reference : m.root());
    }
    return com.diotec360.lattice.merkle.Counterpart.choose(node.name(), roots, reference)
        .map(chosen -> {
          DiffMember pick = byName.get(chosen.name());
          if (pick.external()) {
            pick = roots.entrySet().stream()
                .filter(e -> !e.getKey().equals(node.name()) && e.getValue().equals(chosen.root()))
                .map(e -> byName.get(e.getKey())).filter(m -> !m.external())
                .findFirst().orElse(pick);
          }
          return new Counterpart(pick, switch (chosen.why()) {
            case HOLDS_REFERENCE -> judgedOnly ? "judged Consistent, so it holds the reference root"
                : "holds the reference root";
            case SAME_ROOT -> "no reference root; every other member holds " + node.name() + "'s root";
            case OTHER_SIDE -> "no reference root; " + (chosen.sideSize() == 1 ? "another side"
                : "the biggest other side, " + chosen.sideSize() + " members");
          });
        });
  }

  /** How to read the member's trie: through the service proxy, or directly at an external member's url. */
  private TreeReader trees(DiffMember m, KubectlLattice.Scope scope, List<ExternalTrees> opened)
      throws ExternalMemberAccess.Refused {
    if (!m.external()) {
      return ProxiedTrees.of(client, scope.namespace(), m.name());
    }
    ExternalMemberAccess.Access access = m.spec() == null
        ? new ExternalMemberAccess.Access(Map.of(), null, "")
        : ExternalMemberAccess.of(client, scope.namespace(), m.spec(), redactor);
    ExternalTrees trees = new ExternalTrees(m.name(), m.url(), access);
    opened.add(trees);
    return trees.reader();
  }

  /** "through the API server's service proxy", "x directly at URL (headers from Secret s)", or both. */
  private String reached(DiffMember node, DiffMember against) {
    List<String> external = new ArrayList<>();
    for (DiffMember m : List.of(node, against)) {
      if (m.external()) {
        String secrets = m.spec() == null ? "" : describeSecrets(m.spec());
        external.add(m.name() + " directly at " + m.url() + (secrets.isEmpty() ? "" : " (" + secrets + ")"));
      }
    }
    if (external.isEmpty()) {
      return "through the API server's service proxy";
    }
    String direct = String.join(", ", external);
    return external.size() == 2 ? direct
        : (node.external() ? against : node).name() + " through the API server's service proxy, " + direct;
  }

  private static String describeSecrets(JsonNode spec) {
    List<String> parts = new ArrayList<>();
    if (!spec.path("headersSecret").asText("").isEmpty()) {
      parts.add("headers from Secret " + spec.path("headersSecret").asText());
    }
    if (!spec.at("/tls/caSecret").asText("").isEmpty()) {
      parts.add("CA from Secret " + spec.at("/tls/caSecret").asText());
    }
    return String.join(", ", parts);
  }

  private static String kind(DiffMember m) {
    return m.external() ? "external member, " : "";
  }

  /**
   * What the operator last found: a LatticeNode's {@code status.divergence}, when it compared with
   * that member; an external member's {@code status.externalMembers[].evidence}.
   */
  private Optional<String> operatorEvidence(DiffMember node, Observed observed, String against) {
    if (node.external()) {
      return node.evidence().equals(LatticeViews.NONE) ? Optional.empty()
          : Optional.of(node.evidence() + "  (the Lattice's status.externalMembers[].evidence)");
    }
    JsonNode raw = observed.nodes().stream()
        .filter(n -> node.name().equals(n.at("/metadata/name").asText()))
        .findFirst().orElse(MissingNode.getInstance());
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

  /** When the operator wrote the member's root and version: " (written 40s ago)", or nothing. */
  private String written(DiffMember m) {
    return m.root().equals(LatticeViews.NONE) || m.rootWrittenAt().equals(LatticeViews.NONE) ? ""
        : " (written " + HumanTime.relative(m.rootWrittenAt(), cli.clock().instant()) + ")";
  }

  /** Prints the rows, every Secret value read scrubbed (a member might echo a header in an error). */
  private void print(Map<String, String> rows) {
    PrintStream out = cli.out();
    rows.forEach((k, v) -> out.print(redactor.scrub(String.format("%-11s %s%n", k, v))));
  }

  private static String more(int total, int shown) {
    return total > shown ? " (and " + (total - shown) + " more)" : "";
  }

  private static String kib(long bytes) {
    return bytes < 1024 ? bytes + " B" : String.format("%.1f KiB", bytes / 1024.0);
  }
}
