package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** The sync mode a user asks for. */
public enum SyncMode {
  /** P2P gossip, falling back to HTTP polling while the node has no P2P peers (production). */
  AUTO("auto"),
  /** P2P only. */
  P2P("p2p"),
  /** HTTP polling only. */
  HTTP("http");

  private final String value;

  SyncMode(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
