package com.diotec360.lattice.view;

/**
 * The colour of a node's card and row. Never the only signal: every node also carries a text label
 * saying why ({@link NodeView#label()}).
 */
public enum Health {
  /** Syncing over P2P and holding the lattice's reference root. */
  GREEN,
  /** Working, but not the way a healthy lattice does: HTTP sync, Behind/Ahead within grace, starting. */
  YELLOW,
  /** Needs a person: unreachable, Diverged, forked, no quorum (split), invalid spec. */
  RED
}
