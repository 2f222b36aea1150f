package com.diotec360.lattice.operator.observe;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** ISO-8601 instants as nodes report them and as the status stores them. */
public final class IsoInstants {

  private IsoInstants() {}

  /** The instant, or null when the text is absent or not an ISO-8601 instant. */
  public static Instant parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
