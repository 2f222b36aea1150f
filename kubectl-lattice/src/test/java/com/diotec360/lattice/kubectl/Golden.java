package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/golden. Run with {@code -Dlattice.updateGolden=true} to
 * rewrite them from the current output (then read the diff before committing).
 */
final class Golden {

  private Golden() {}

  /**
   * Ages ("12s", "3m5s") become AGE and times as written ("(40s ago)", "(just now)") become
   * "(WHEN)", padded so the columns stay as wide as in the golden file: everything else (words,
   * values, order, alignment) must match exactly. A lattice header's "last event" line goes: the
   * operator announces only some phase transitions (NoQuorum to Healthy, not Degraded to Healthy),
   * and whether a lattice passes through NoQuorum while it forms depends on which member it
   * probes first.
   */
  static String normalize(String output) {
    return output.replaceAll("(?m)^  last event: .*\n", "")
        .replaceAll("(?m)(?<=\\s)\\d+[smhd](\\d+[smh])?(?=\\s)", "AGE")
        .replaceAll("\\((just now|\\d+[smhd](\\d+[smh])? ago|in \\d+[smhd](\\d+[smh])?)\\)", "(WHEN)")
        .replaceAll("(?m)AGE +", "AGE  ")
        .replaceAll("(?m)\\(WHEN\\) +", "(WHEN)  ")
        .replaceAll("(?m)SINCE +", "SINCE  ")
        .replaceAll("(?m)ROOT +", "ROOT  ")
        .replaceAll("(?m)LAST EVENT +", "LAST EVENT  ");
  }

  static void assertMatches(String name, String actual) throws IOException {
    Path source = Path.of("src/test/resources/golden", name);
    if (Boolean.getBoolean("lattice.updateGolden")) {
      Files.writeString(source, actual);
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file " + source + " (create it with -Dlattice.updateGolden=true)").isNotNull();
      assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
