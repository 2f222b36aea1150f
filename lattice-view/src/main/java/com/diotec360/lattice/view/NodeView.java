package com.diotec360.lattice.view;

/**
 * One node as a person sees it: every value already a display string ("-" when unknown), so the
 * table, JSON, YAML and the page all show the same words.
 *
 * @param mode the sync path the node reports (P2P/HTTP), from {@code status.syncMode}
 * @param wantedMode what the user asked for, {@code spec.sync.mode} (auto when unset)
 * @param modeSince {@code status.syncModeSince} (ISO-8601) or "-"
 * @param heartbeat the node's heartbeat state when the status carries one ({@code status.heartbeat});
 *     otherwise the operator's probe verdict from the Reachable condition: ok, lost, starting, unknown
 * @param version {@code status.version} as the operator last wrote it (not live: see rootWrittenAt)
 * @param root {@code status.merkleRoot} as the operator last wrote it, or "-"
 * @param rootWrittenAt when the operator last wrote root and version ({@code status.lastProbeTime},
 *     ISO-8601), or "-". While data flows it writes them at most once per its status refresh
 *     interval (60 s by default; a change comes at once when the last write is older), so they
 *     are at most about that far behind the node; an old time on an idle lattice means nothing
 *     moved since
 * @param verdict {@code status.consistency}: Consistent, Behind, Ahead, Diverged, NoQuorum, Unobserved
 * @param evidence the operator's Merkle evidence in one sentence ({@code status.divergence.summary}),
 *     present while the node is Diverged (Behind, Ahead, Forked) or its lattice Split, else "-"
 * @param revision the pod-template revision the node runs ({@code status.rollout.revision}), else "-"
 * @param lastEvent the reason of the newest Event about this node, or "-"
 * @param lastEventMessage that Event's message, or "-"
 * @param lastEventAt when that Event last happened (ISO-8601), or "-"
 * @param recentEvents up to {@value LatticeViews#RECENT_EVENTS} newest Events about this node,
 *     newest first
 * @param label why the node has its colour, in words (never only the colour)
 */
public record NodeView(
    String namespace,
    String name,
    String lattice,
    String role,
    String phase,
    String mode,
    String wantedMode,
    String modeSince,
    String peers,
    String heartbeat,
    String version,
    String root,
    String rootShort,
    String rootWrittenAt,
    String verdict,
    String evidence,
    String revision,
    String lastEvent,
    String lastEventMessage,
    String lastEventAt,
    java.util.List<EventView> recentEvents,
    Health health,
    String label) {

  /** {@code namespace/name}: unique across the views of one snapshot. */
  public String key() {
    return namespace + "/" + name;
  }
}
