package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.ExternalMemberView;
import com.diotec360.lattice.view.Health;
import com.diotec360.lattice.view.HumanTime;
import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.diotec360.lattice.view.NodeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code kubectl lattice status}: per lattice a header, from the Lattice's status (the
 * group's facts as the operator judged them), one row per node, from its LatticeNode, and, in a
 * group of their own, one row per external member, from the Lattice. Colour (ANSI, only when
 * writing to a terminal) marks the lattice's state and each row's STATE column, whose words say
 * the same thing. Times are ages against the {@code now} given, never a clock read
 * here.
 */
final class StatusTable {

  private static final String RESET = "\u001b[0m";
  private final Instant now;
  private final boolean colour;

  StatusTable(Instant now, boolean colour) {
    this.now = now;
    this.colour = colour;
  }

  String render(List<LatticeView> lattices) {
    StringBuilder out = new StringBuilder();
    boolean first = true;
    for (LatticeView l : lattices) {
      if (!first) {
        out.append('\n');
      }
      first = false;
      header(l, out);
      if (l.nodes().isEmpty()) {
        out.append("  (no LatticeNode names this lattice yet)\n");
      } else {
        List<String> header = new ArrayList<>(List.of(
            "NODE", "ROLE", "PHASE", "MODE", "WANTED", "SINCE", "PEERS", "HEARTBEAT", "VERSION", "ROOT",
            "VERDICT", "EVIDENCE"));
        header.addAll(List.of("LAST EVENT", "STATE"));
        List<List<String>> rows = new ArrayList<>();
        List<Health> colours = new ArrayList<>();
        for (NodeView n : l.nodes()) {
          List<String> row = new ArrayList<>(List.of(
              n.name(), n.role(), n.phase(), n.mode(), n.wantedMode(), age(n.modeSince()), n.peers(),
              n.heartbeat(), n.version(), written(n.rootShort(), n.rootWrittenAt()), n.verdict(), n.evidence()));
          row.add(n.lastEvent().equals(LatticeViews.NONE) ? n.lastEvent() : written(n.lastEvent(), n.lastEventAt()));
          row.add(n.health().name().toLowerCase() + ": " + n.label());
          rows.add(row);
          colours.add(n.health());
        }
        table(header, rows, colours, out);
      }
      if (!l.externalMembers().isEmpty()) {
        external(l.externalMembers(), out);
      }
    }
    return out.toString();
  }

  /**
   * The lattice's external members, in a group of their own under its nodes: what the operator
   * last probed and judged of each (status.externalMembers), never a live probe, and nothing from
   * the Secrets their headers or CA come from.
   */
  private void external(List<ExternalMemberView> members, StringBuilder out) {
    out.append("  external members (not run by the operator; as it last probed them):\n");
    List<String> header = List.of(
        "EXTERNAL", "URL", "ROLE", "REACHABLE", "MODE", "VERSION", "ROOT", "VERDICT", "EVIDENCE", "MESSAGE", "STATE");
    List<List<String>> rows = new ArrayList<>();
    List<Health> colours = new ArrayList<>();
    for (ExternalMemberView e : members) {
      rows.add(List.of(
          e.name(), e.url(), e.role(), e.reachable(), e.mode(), e.version(), e.rootShort(), e.verdict(),
          e.evidence(), e.message(),
          e.health().name().toLowerCase() + ": " + e.label() + (e.inSpec() ? "" : " (no longer in the spec)")));
      colours.add(e.health());
    }
    table(header, rows, colours, out);
  }

  /** Columns padded to their widest cell; the last cell of each row painted with its colour. */
  private void table(List<String> header, List<List<String>> body, List<Health> colours, StringBuilder out) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    rows.addAll(body);
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        boolean last = i == row.size() - 1;
        if (last && r > 0) {
          line.append(paint(colours.get(r - 1), cell));
        } else {
          line.append(cell);
        }
        if (!last) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /**
   * The lattice's header: its state, the counts and the reference root with its age, why it is in
   * that state, who reaches whom, the rollout (one line per waiting member), and evidence, healing,
   * deletion and the newest Event when there are any.
   */
  private void header(LatticeView l, StringBuilder out) {
    out.append("LATTICE ").append(l.name()).append("  (namespace ").append(l.namespace()).append(")  ")
        .append(paint(l.health(), l.health().name().toLowerCase() + ": " + l.label())).append('\n');
    out.append("  members ").append(l.members())
        .append("   agreeing ").append(l.agreeing())
        .append("   quorum ").append(l.quorum())
        .append(switch (l.hasQuorum()) {
          case "yes" -> " (held)";
          case "no" -> " (not held)";
          default -> "";
        })
        .append("   reference root ").append(written(l.rootShort(), l.refreshedAt())).append('\n');
    if (!l.why().equals(LatticeViews.NONE)) {
      out.append("  why: ").append(l.why()).append('\n');
    }
    out.append("  links: ").append(l.links()).append('\n');
    if (!l.rollout().equals(LatticeViews.NONE)) {
      out.append("  rollout: ").append(l.rollout()).append('\n');
      for (LatticeView.Waiting w : l.waiting()) {
        out.append("    ").append(w.name()).append(w.blocking() ? " blocked: " : " waits: ").append(w.reason()).append('\n');
      }
    }
    if (!l.evidence().equals(LatticeViews.NONE)) {
      out.append("  evidence: ").append(l.evidence()).append('\n');
    }
    if (!l.healing().equals(LatticeViews.NONE)) {
      out.append("  healing: ").append(l.healing()).append(" (self-heal repairs it now)\n");
    }
    if (!l.deleting().equals(LatticeViews.NONE)) {
      out.append("  deleting: ").append(l.deleting()).append('\n');
    }
    if (l.lastEvent() != null) {
      out.append("  last event: ").append(written(l.lastEvent().text(), l.lastEvent().at())).append('\n');
    }
  }

  /** A value as the operator wrote it, with when: "07a313c836d3 (40s ago)"; "-" alone. */
  String written(String value, String at) {
    if (value.equals(LatticeViews.NONE) || at.equals(LatticeViews.NONE)) {
      return value;
    }
    return value + " (" + HumanTime.relative(at, now) + ")";
  }

  private String paint(Health health, String text) {
    if (!colour) {
      return text;
    }
    String code = switch (health) {
      case GREEN -> "\u001b[32m";
      case YELLOW -> "\u001b[33m";
      case RED -> "\u001b[1;31m";
    };
    return code + text + RESET;
  }

  /** "3m12s" since an ISO instant, as kubectl prints ages; "-" when unknown. */
  String age(String iso) {
    return HumanTime.age(iso, now);
  }
}
