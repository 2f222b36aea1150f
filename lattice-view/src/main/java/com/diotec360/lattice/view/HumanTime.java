package com.diotec360.lattice.view;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Times as a person reads them: "40s ago", "in 2m", "3h12m". Pure: the caller passes "now", so the
 * same instant always reads the same, and a test needs no clock.
 *
 * <p>The status page renders the same words in the browser ({@code humanDuration} and
 * {@code relative} in {@code index.html}, so an age keeps counting between pushes); a page test
 * checks that both agree on a table of durations.
 *
 * <p>Durations, by size (shorter is coarser only where a person stops caring):
 * <ul>
 *   <li>under a minute: seconds ("0s", "59s");
 *   <li>under ten minutes: minutes and seconds ("2m", "2m5s");
 *   <li>under an hour: minutes ("42m");
 *   <li>under a day: hours and minutes ("3h", "3h12m");
 *   <li>under a week: days and hours ("2d", "2d5h");
 *   <li>else days ("40d").
 * </ul>
 */
public final class HumanTime {

  private HumanTime() {}

  /** {@code d} in words, its sign ignored: "40s", "2m5s", "3h12m", "2d5h". */
  public static String duration(Duration d) {
    long s = d.abs().getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86_400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
    if (s < 7 * 86_400) {
      return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : s % 86_400 / 3600 + "h");
    }
    return s / 86_400 + "d";
  }

  /**
   * When {@code then} is, seen from {@code now}: "just now" within a second either way, else
   * "40s ago" or "in 40s" (a time ahead of this machine's clock says so rather than hiding it).
   */
  public static String relative(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.abs().compareTo(Duration.ofSeconds(1)) < 0) {
      return "just now";
    }
    return d.isNegative() ? "in " + duration(d) : duration(d) + " ago";
  }

  /**
   * {@link #relative(Instant, Instant)} of an ISO-8601 instant as the API writes it; "-" stays
   * "-", and text that is not an instant is shown as it is.
   */
  public static String relative(String iso, Instant now) {
    Instant then = parse(iso);
    return then == null ? iso : relative(then, now);
  }

  /**
   * The age of an ISO-8601 instant as kubectl prints ages ("3m12s"), "0s" for a time ahead of
   * {@code now}; "-" and text that is not an instant are shown as they are.
   */
  public static String age(String iso, Instant now) {
    Instant then = parse(iso);
    return then == null ? iso : then.isAfter(now) ? "0s" : duration(Duration.between(then, now));
  }

  /** The instant of an ISO-8601 text, or null when it is "-", empty or not an instant. */
  static Instant parse(String iso) {
    if (iso == null || iso.isEmpty() || iso.equals(LatticeViews.NONE)) {
      return null;
    }
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
