package com.diotec360.lattice.local.cli;

import com.diotec360.lattice.local.cli.NodeStatusProbe.NodeView;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The live table: what {@code kubectl get ln} shows (lattice, role, phase) joined with what each
 * node process reports (sync mode, P2P peers, Merkle root) and a simple verdict per node against
 * its lattice's most common root. The operator's own judge (lattice-watch branch) will replace the
 * verdict once merged.
 */
public final class StatusTable {

  /** One line of the table. */
  public record Row(
      String namespace,
      String node,
      String lattice,
      String role,
      String phase,
      Optional<NodeView> view,
      String url,
      String consistent) {}

  private StatusTable() {}

  public static List<Row> rows(
      List<LatticeNode> nodes,
      Function<LatticeNode, Optional<String>> urlOf,
      Function<String, Optional<NodeView>> probe) {
    List<LatticeNode> sorted =
        nodes.stream()
            .sorted(Comparator.comparing((LatticeNode n) -> n.getMetadata().getNamespace())
                .thenComparing(n -> n.getMetadata().getName()))
            .toList();
    Map<LatticeNode, Optional<String>> urls = new HashMap<>();
    Map<LatticeNode, Optional<NodeView>> views = new HashMap<>();
    for (LatticeNode n : sorted) {
      Optional<String> url = urlOf.apply(n);
      urls.put(n, url);
      views.put(n, url.flatMap(probe));
    }
    List<Row> rows = new ArrayList<>();
    for (LatticeNode n : sorted) {
      String lattice = n.getSpec() == null ? "" : Objects.requireNonNullElse(n.getSpec().getLattice(), "");
      List<NodeView> members =
          sorted.stream()
              .filter(m -> m.getSpec() != null && lattice.equals(m.getSpec().getLattice()))
              .filter(m -> m.getMetadata().getNamespace().equals(n.getMetadata().getNamespace()))
              .map(views::get)
              .flatMap(Optional::stream)
              .toList();
      rows.add(
          new Row(
              n.getMetadata().getNamespace(),
              n.getMetadata().getName(),
              lattice,
              n.getSpec() == null ? "" : Objects.requireNonNullElse(n.getSpec().getRole(), ""),
              n.getStatus() == null || n.getStatus().getPhase() == null ? "-" : n.getStatus().getPhase(),
              views.get(n),
              urls.get(n).orElse("-"),
              verdict(views.get(n), members)));
    }
    return rows;
  }

  /** Consistent: the lattice's most common root; Behind: fewer entries; Diverged: otherwise. */
  static String verdict(Optional<NodeView> self, List<NodeView> members) {
    if (self.isEmpty()) {
      return "Unknown";
    }
    Map<String, Long> counts =
        members.stream().collect(Collectors.groupingBy(NodeView::merkleRoot, Collectors.counting()));
    long best = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    List<String> majority = counts.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).toList();
    if (majority.size() == 1 && majority.get(0).equals(self.get().merkleRoot())) {
      return "Consistent";
    }
    long majorityVersion =
        members.stream().filter(m -> majority.contains(m.merkleRoot())).mapToLong(NodeView::version).max().orElse(0);
    return self.get().version() < majorityVersion ? "Behind" : "Diverged";
  }

  public static String render(List<Row> rows) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"NODE", "LATTICE", "ROLE", "PHASE", "SYNC", "PEERS", "ENTRIES", "ROOT", "CONSISTENT", "API"});
    for (Row r : rows) {
      String node = "default".equals(r.namespace()) ? r.node() : r.namespace() + "/" + r.node();
      lines.add(
          new String[] {
            node,
            r.lattice(),
            r.role(),
            r.phase(),
            r.view().map(v -> v.syncMode() + ("auto".equals(v.mode()) ? "" : " (" + v.mode() + ")")).orElse("-"),
            r.view().map(v -> Integer.toString(v.peerCount())).orElse("-"),
            r.view().map(v -> Long.toString(v.version())).orElse("-"),
            r.view().map(v -> shortRoot(v.merkleRoot())).orElse("-"),
            r.consistent(),
            r.url()
          });
    }
    int[] widths = new int[lines.get(0).length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        out.append(i == line.length - 1 ? line[i] : String.format("%-" + (widths[i] + 2) + "s", line[i]));
      }
      out.append('\n');
    }
    if (rows.isEmpty()) {
      out.append("(no LatticeNodes yet: kubectl apply -f examples/dual-node.yaml --validate=false)\n");
    }
    return out.toString();
  }

  private static String shortRoot(String root) {
    return root.length() > 12 ? root.substring(0, 12) : root;
  }
}
