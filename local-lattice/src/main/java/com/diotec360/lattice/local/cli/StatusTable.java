package com.diotec360.lattice.local.cli;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The live table: what {@code kubectl get ln} shows on a real cluster (lattice, role, phase, sync,
 * peers, root, consistency — all as the operator wrote them into each node's status) plus the
 * node's API URL on loopback. The table judges nothing itself: the operator's judge does.
 */
public final class StatusTable {

  /** One line of the table. */
  public record Row(
      String namespace,
      String node,
      String lattice,
      String role,
      String phase,
      String sync,
      String peers,
      String version,
      String root,
      String consistent,
      String url) {}

  private static final String NONE = "-";

  private StatusTable() {}

  public static List<Row> rows(
      List<LatticeNode> nodes, Function<LatticeNode, Optional<String>> urlOf) {
    return nodes.stream()
        .sorted(
            Comparator.comparing((LatticeNode n) -> n.getMetadata().getNamespace())
                .thenComparing(n -> n.getMetadata().getName()))
        .map(n -> row(n, urlOf.apply(n).orElse(NONE)))
        .toList();
  }

  private static Row row(LatticeNode n, String url) {
    LatticeNodeStatus status =
        Objects.requireNonNullElseGet(n.getStatus(), LatticeNodeStatus::new);
    return new Row(
        n.getMetadata().getNamespace(),
        n.getMetadata().getName(),
        n.getSpec() == null ? "" : Objects.requireNonNullElse(n.getSpec().getLattice(), ""),
        n.getSpec() == null ? "" : Objects.requireNonNullElse(n.getSpec().getRole(), ""),
        text(status.getPhase()),
        text(status.getSyncMode()),
        text(status.getPeerCount()),
        text(status.getVersion()),
        text(status.getRootShort()),
        text(status.getConsistency()),
        url);
  }

  public static String render(List<Row> rows) {
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "NODE", "LATTICE", "ROLE", "PHASE", "SYNC", "PEERS", "VERSION", "ROOT", "CONSISTENT", "API"
        });
    for (Row r : rows) {
      String node = "default".equals(r.namespace()) ? r.node() : r.namespace() + "/" + r.node();
      lines.add(
          new String[] {
            node, r.lattice(), r.role(), r.phase(), r.sync(), r.peers(), r.version(), r.root(),
            r.consistent(), r.url()
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
        out.append(
            i == line.length - 1 ? line[i] : String.format("%-" + (widths[i] + 2) + "s", line[i]));
      }
      out.append('\n');
    }
    if (rows.isEmpty()) {
      out.append("(no LatticeNodes yet: kubectl apply -f examples/dual-node.yaml)\n");
    }
    return out.toString();
  }

  private static String text(Object value) {
    return value == null ? NONE : value.toString();
  }
}
