package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.Health;
import com.diotec360.lattice.view.LatticeView;
import com.diotec360.lattice.view.LatticeViews;
import com.diotec360.lattice.view.NodeView;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code kubectl lattice status}: per lattice a header and one row per node. Colour
 * (ANSI, only when writing to a terminal) marks the STATE column, whose words say the same thing.
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
      out.append("LATTICE ").append(l.name()).append("  (namespace ").append(l.namespace()).append(")  ")
          .append(paint(l.health(), l.health().name().toLowerCase())).append('\n');
      out.append("  members ").append(l.members())
          .append("   agreeing ").append(l.agreeing())
          .append("   reference root ").append(shortRoot(l.referenceRoot()))
          .append("   quorum ").append(l.quorum())
          .append("   roots ").append(l.roots()).append(l.roots() > 1 ? " (split)" : "")
          .append("   unreachable ").append(l.unreachable()).append('\n');
      out.append("  partitions: ").append(l.partitions()).append('\n');
      out.append("  links: ").append(l.links()).append('\n');
      List<String> header = new ArrayList<>(List.of(
          "NODE", "ROLE", "PHASE", "MODE", "WANTED", "SINCE", "PEERS", "HEARTBEAT", "VERSION", "ROOT",
          "VERDICT", "EVIDENCE"));
      header.addAll(List.of("LAST EVENT", "STATE"));
      List<List<String>> rows = new ArrayList<>();
      rows.add(header);
      for (NodeView n : l.nodes()) {
        List<String> row = new ArrayList<>(List.of(
            n.name(), n.role(), n.phase(), n.mode(), n.wantedMode(), age(n.modeSince()), n.peers(),
            n.heartbeat(), n.version(), n.rootShort(), n.verdict(), n.evidence()));
        row.add(n.lastEvent());
        row.add(n.health().name().toLowerCase() + ": " + n.label());
        rows.add(row);
      }
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
            line.append(paint(l.nodes().get(r - 1).health(), cell));
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
    return out.toString();
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

  static String shortRoot(String root) {
    return root.equals(LatticeViews.NONE) ? root : root.substring(0, Math.min(12, root.length()));
  }

  /** "3m12s" since an ISO instant, as kubectl prints ages; "-" when unknown. */
  String age(String iso) {
    if (iso.equals(LatticeViews.NONE)) {
      return iso;
    }
    try {
      return human(Duration.between(Instant.parse(iso), now));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (s < 86400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
    return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
  }
}
