package com.diotec360.lattice.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanTimeTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  /** How long ago {@code then} was, as the page and the plugin print it; "now" is given, never read. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2026-11-30T12:00:00Z,      just now",
      "2026-11-30T11:59:59.500Z,  just now",
      "2026-11-30T12:00:00.999Z,  just now",
      "2026-11-30T11:59:59Z,      1s ago",
      "2026-11-30T11:59:20Z,      40s ago",
      "2026-11-30T11:59:00.001Z,  59s ago",
      "2026-11-30T11:59:00Z,      1m ago",
      "2026-11-30T11:58:00Z,      2m ago",
      "2026-11-30T11:57:55Z,      2m5s ago",
      "2026-11-30T11:50:01Z,      9m59s ago",
      "2026-11-30T11:50:00Z,      10m ago",
      "2026-11-30T11:18:30Z,      41m ago",
      "2026-11-30T11:00:00Z,      1h ago",
      "2026-11-30T08:48:00Z,      3h12m ago",
      "2026-11-29T12:00:01Z,      23h59m ago",
      "2026-11-29T12:00:00Z,      1d ago",
      "2026-11-28T07:00:00Z,      2d5h ago",
      "2026-11-23T12:00:01Z,      6d23h ago",
      "2026-11-23T12:00:00Z,      7d ago",
      "2026-10-21T12:00:00Z,      40d ago",
      "2026-11-30T12:00:40Z,      in 40s",
      "2026-11-30T12:00:40.300Z,  in 40s",
      "2026-11-30T12:02:05Z,      in 2m5s",
      "2026-11-30T15:00:00Z,      in 3h",
      "-,                         -",
      "soon,                      soon",
  })
  void relativeTimes(String then, String words) {
    assertThat(HumanTime.relative(then, NOW)).isEqualTo(words);
  }

  /** kubectl-style ages for table columns: never negative, no "ago". */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2026-11-30T11:59:20Z,  40s",
      "2026-11-30T11:57:55Z,  2m5s",
      "2026-11-30T08:48:00Z,  3h12m",
      "2026-11-30T12:00:05Z,  0s",
      "-,                     -",
      "not a time,            not a time",
  })
  void ages(String then, String age) {
    assertThat(HumanTime.age(then, NOW)).isEqualTo(age);
  }

  @ParameterizedTest(name = "{0} s -> {1}")
  @CsvSource({
      "0, 0s", "59, 59s", "60, 1m", "61, 1m1s", "599, 9m59s", "600, 10m", "3599, 59m", "3600, 1h",
      "3660, 1h1m", "86399, 23h59m", "86400, 1d", "90000, 1d1h", "604799, 6d23h", "604800, 7d", "-61, 1m1s",
  })
  void durations(long seconds, String words) {
    assertThat(HumanTime.duration(Duration.ofSeconds(seconds))).isEqualTo(words);
  }
}
