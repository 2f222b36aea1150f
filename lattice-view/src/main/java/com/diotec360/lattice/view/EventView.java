package com.diotec360.lattice.view;

/**
 * One Event about a node or a lattice, as a person reads it.
 *
 * @param at when it last happened (ISO-8601, from lastTimestamp, series, eventTime or creation), or "-"
 */
public record EventView(String reason, String message, String at) {

  /** {@code Reason: message}. */
  public String text() {
    return reason + ": " + message;
  }
}
