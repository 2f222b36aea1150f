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
   * Ages ("12s", "3m5s") become AGE, padded so the columns stay as wide as in the golden file:
   * everything else (words, values, order, alignment) must match exactly.
   */
  static String normalize(String output) {
    return output.replaceAll("(?m)(?<=\\s)\\d+[smhd](\\d+[smh])?(?=\\s)", "AGE")
        .replaceAll("(?m)AGE +", "AGE  ")
        .replaceAll("(?m)SINCE +", "SINCE  ");
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
