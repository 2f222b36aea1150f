package com.diotec360.lattice.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One lattice in one namespace: its header, from the Lattice's status as the operator judged it,
 * its members from the LatticeNodes, and its external members from the Lattice itself. Every
 * header value is a display string ("-" when unknown); {@code status} keeps the Lattice's status
 * as written, for scripts ({@code -o json}).
 *
 * @param phase the Lattice's {@code status.phase}: Healthy, Degraded, NoQuorum, Split, Invalid, or "-"
 * @param health GREEN Healthy; YELLOW Degraded, not judged yet or no Lattice; RED NoQuorum, Split, Invalid
 * @param label the phase in words, never only the colour: "Healthy", "Degraded", "No quorum",
 *     "Split", "Invalid spec", "Not judged yet", "No Lattice yet"
 * @param why the message of the Lattice's Ready condition (who does not agree, the sides of a
 *     split, what is invalid), or why there is nothing to say yet
 * @param members {@code status.members}: the LatticeNodes and external members the operator counts
 * @param agreeing {@code status.agreeing}: reachable, healthy members holding the reference root
 * @param quorum {@code status.quorum}: how many members make a strict majority
 * @param hasQuorum "yes" or "no" from the Quorum condition, else "-"
 * @param referenceRoot {@code status.referenceRoot}, or "-" (no quorum, or not judged yet)
 * @param rootShort its first 12 characters, or "-"
 * @param refreshedAt when the operator wrote the reference root ({@code status.refreshedAt}, ISO-8601), or "-"
 * @param links who reaches whom ({@code status.partitions}: P2P groups and failing HTTP polls),
 *     {@value #CONNECTED} when the operator found nothing to say, "-" before it judged
 * @param evidence {@code status.evidence}: where diverged members differ, one part per member, or "-"
 * @param rollout the rollout in one line (who restarts, how many wait, how many are up to date), or "-"
 * @param restarting {@code status.rollout.restarting}: members restarting onto a new revision now
 * @param waiting {@code status.rollout.waiting}: members whose new revision waits, and why
 * @param healing {@code status.healing}: the member self-heal repairs now, or "-"
 * @param deleting the Deleting condition's message while the Lattice waits for its members to go, or "-"
 * @param lastEvent the newest Event about the Lattice, or null
 * @param status the Lattice's status as the operator wrote it, or null
 * @param nodes its LatticeNodes, the members the operator runs
 * @param externalMembers its external members (the Lattice's {@code spec.externalMembers}, as the
 *     operator last probed and judged them in {@code status.externalMembers}), in spec order
 */
public record LatticeView(
    String namespace,
    String name,
    String phase,
    Health health,
    String label,
    String why,
    String members,
    String agreeing,
    String quorum,
    String hasQuorum,
    String referenceRoot,
    String rootShort,
    String refreshedAt,
    String links,
    String evidence,
    String rollout,
    List<String> restarting,
    List<Waiting> waiting,
    String healing,
    String deleting,
    EventView lastEvent,
    JsonNode status,
    List<NodeView> nodes,
    List<ExternalMemberView> externalMembers) {

  /** What {@code links} says when every answering member is in one P2P group and no HTTP poll fails. */
  public static final String CONNECTED = "one P2P group, no failing HTTP poll";

  /**
   * A member whose new revision waits.
   *
   * @param blocking first in line and waiting for the lattice itself (too few members Consistent),
   *     not for another member's turn
   */
  public record Waiting(String name, String reason, boolean blocking) {}

  public String key() {
    return namespace + "/" + name;
  }
}
