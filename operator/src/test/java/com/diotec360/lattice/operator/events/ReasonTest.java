package com.diotec360.lattice.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reasons are a user interface: one value each, and each one explained in the docs. */
class ReasonTest {

  @Test
  void everyReasonHasItsOwnValue() {
    Set<String> values = new HashSet<>();
    for (Reason r : Reason.values()) {
      assertThat(values.add(r.value())).as("%s repeats the value %s", r, r.value()).isTrue();
      assertThat(r.value()).matches("[A-Z][A-Za-z0-9]+");
    }
  }

  @Test
  void everyReasonIsExplainedInTheDocs() throws Exception {
    Path docs = Path.of(System.getProperty("lattice.repoRoot", "..")).resolve("docs");
    String text;
    try (Stream<Path> files = Files.list(docs)) {
      text = files.filter(f -> f.toString().endsWith(".md")).map(ReasonTest::read).collect(Collectors.joining("\n"));
    }
    assertThat(Arrays.stream(Reason.values()).map(Reason::value).filter(v -> !text.contains("`" + v + "`")))
        .as("reasons no page under docs/ names (in backticks)")
        .isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
