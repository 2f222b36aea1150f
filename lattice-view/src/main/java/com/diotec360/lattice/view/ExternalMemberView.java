package com.diotec360.lattice.view;

/**
 * One external member of a lattice as a person sees it: a node the operator does not run (a hosted
 * node, a server outside the cluster, another cluster's member), listed in the Lattice's
 * {@code spec.externalMembers} and, once the operator probed it, in {@code status.externalMembers}.
 * Every value is a display string ("-" when unknown), as in {@link NodeView}, and the colour follows
 * the same rules as a LatticeNode's ({@link LatticeViews}).
 *
 * <p>Nothing here is read live: it is what the operator last wrote. The Secret a member's headers
 * come from ({@code headersSecret}) and its CA Secret are deliberately not part of the view: the
 * page and {@code status} show nothing that points into a Secret.
 *
 * @param lattice the Lattice that lists it
 * @param url its base URL, as in the spec (the status's when the spec no longer lists it)
 * @param reachable "yes" or "no" from {@code status.externalMembers[].reachable}, "-" before the
 *     operator probed it
 * @param verdict {@code consistency}: Consistent, Behind, Ahead, Diverged, Split, NoQuorum,
 *     Unobserved, or "-"
 * @param root {@code merkleRoot} as the operator last wrote it, or "-"; it has no time of its own
 *     (the operator writes it with the Lattice's status, at most once per its status refresh
 *     interval while data flows)
 * @param mode {@code syncMode}: P2P or HTTP, what the member reported
 * @param message why it is not reachable or not judged (what it answered), or "-"
 * @param evidence where it differs from a member holding the reference root, or "-"
 * @param inSpec false for a status entry the spec no longer lists (the operator drops it on its
 *     next status write)
 * @param label why it has its colour, in words (never only the colour)
 */
public record ExternalMemberView(
    String namespace,
    String lattice,
    String name,
    String url,
    String role,
    String reachable,
    String verdict,
    String root,
    String rootShort,
    String version,
    String mode,
    String message,
    String evidence,
    String mismatchSince,
    String divergedSince,
    boolean inSpec,
    Health health,
    String label) {

  /** {@code namespace/lattice/name}: unique across the views of one snapshot. */
  public String key() {
    return namespace + "/" + lattice + "/" + name;
  }
}
