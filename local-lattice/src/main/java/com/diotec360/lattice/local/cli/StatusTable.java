package com.diotec360.lattice.local.cli;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The live table: per lattice one line with what {@code kubectl get lat} shows on a real cluster
 * (phase, members, agreeing, quorum, root: the Lattice's status), and under it its nodes as
 * {@code kubectl get ln} shows them (role, phase, sync, peers, version, root, consistency: each
 * node's status) plus the node's API URL on loopback. The table judges nothing itself: the
 * operator's judge does. Versions and roots are as the operator last wrote them (at most once per
 * its status refresh interval while data flows).
 */
public final class StatusTable {

  /** One lattice's line: its Lattice's status, "-" where there is none. */
  public record LatticeLine(
      String namespace, String lattice, boolean exists, String phase, String members, String agreeing,
      String quorum, String root) {}

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

  /** The lines of these Lattices, as the operator wrote their status. */
  public static List<LatticeLine> lattices(List<Lattice> lattices) {
    return lattices.stream()
        .map(l -> {
          LatticeStatus status = Objects.requireNonNullElseGet(l.getStatus(), LatticeStatus::new);
          return new LatticeLine(
              l.getMetadata().getNamespace(), l.getMetadata().getName(), true, text(status.getPhase()),
              text(status.getMembers()), text(status.getAgreeing()), text(status.getQuorum()),
              text(status.getRootShort()));
        })
        .toList();
  }

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

  /**
   * The table: per lattice (a Lattice or a node's {@code spec.lattice}), sorted by namespace and
   * name, its line and then its nodes, the node columns aligned across lattices.
   */
  public static String render(List<LatticeLine> lattices, List<Row> rows) {
    Map<String, LatticeLine> lines = new TreeMap<>();
    Map<String, List<Row>> members = new TreeMap<>();
    for (LatticeLine l : lattices) {
      lines.put(key(l.namespace(), l.lattice()), l);
      members.putIfAbsent(key(l.namespace(), l.lattice()), new ArrayList<>());
    }
    for (Row r : rows) {
      String key = key(r.namespace(), r.lattice());
      lines.putIfAbsent(key, new LatticeLine(r.namespace(), r.lattice(), false, NONE, NONE, NONE, NONE, NONE));
      members.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    String[] header = {"NODE", "ROLE", "PHASE", "SYNC", "PEERS", "VERSION", "ROOT", "CONSISTENT", "API"};
    int[] widths = new int[header.length];
    List<String[]> all = new ArrayList<>();
    all.add(header);
    rows.forEach(r -> all.add(cells(r)));
    for (String[] line : all) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (var e : lines.entrySet()) {
      LatticeLine l = e.getValue();
      out.append("LATTICE ").append("default".equals(l.namespace()) ? "" : l.namespace() + "/").append(l.lattice());
      if (!l.exists()) {
        out.append("  (no Lattice yet: the operator makes one)");
      } else if (l.phase().equals(NONE)) {
        out.append("  (not judged yet)");
      } else {
        out.append("  ").append(l.phase()).append("  members ").append(l.members())
            .append("  agreeing ").append(l.agreeing()).append("  quorum ").append(l.quorum())
            .append("  root ").append(l.root());
      }
      out.append('\n');
      List<Row> nodes = members.get(e.getKey());
      if (nodes.isEmpty()) {
        out.append("  (no LatticeNode names this lattice yet)\n");
        continue;
      }
      line(out, header, widths);
      nodes.forEach(r -> line(out, cells(r), widths));
    }
    if (lines.isEmpty()) {
      line(out, header, widths);
      out.append("(no LatticeNodes yet: kubectl apply -f examples/dual-node.yaml)\n");
    }
    return out.toString();
  }

  private static String[] cells(Row r) {
    String node = "default".equals(r.namespace()) ? r.node() : r.namespace() + "/" + r.node();
    return new String[] {
      node, r.role(), r.phase(), r.sync(), r.peers(), r.version(), r.root(), r.consistent(), r.url()
    };
  }

  private static void line(StringBuilder out, String[] cells, int[] widths) {
    out.append("  ");
    for (int i = 0; i < cells.length; i++) {
      out.append(i == cells.length - 1 ? cells[i] : String.format("%-" + (widths[i] + 2) + "s", cells[i]));
    }
    out.append('\n');
  }

  private static String key(String namespace, String lattice) {
    return namespace + "\u0000" + lattice;
  }

  private static String text(Object value) {
    return value == null ? NONE : value.toString();
  }
}
