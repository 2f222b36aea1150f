package com.diotec360.lattice.operator.api;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD committed under crds/ is what users and the Helm chart install; it must be exactly what
 * the Java model generates, or the cluster validates against a different schema than we test.
 */
class CrdDriftTest {

  private static final String HOW_TO_FIX =
      "run ./mvnw -pl operator process-classes and copy operator/target/classes/"
          + GeneratedCrd.RESOURCE
          + " to crds/ (or run scripts/update-crd.sh), then commit crds/"
          + GeneratedCrd.FILE_NAME;

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    Path committed = RepoRoot.find().resolve("crds").resolve(GeneratedCrd.FILE_NAME);
    if (!Files.isRegularFile(committed)) {
      fail("%s is missing: %s", committed, HOW_TO_FIX);
    }
    List<String> expected = lines(GeneratedCrd.text());
    List<String> actual = lines(Files.readString(committed, StandardCharsets.UTF_8));

    int line = firstDifference(expected, actual);
    if (line >= 0) {
      fail(
          "crds/%s differs from the CRD generated from the Java model, first at line %d:%n"
              + "  generated: %s%n  committed: %s%nTo fix it, %s.",
          GeneratedCrd.FILE_NAME,
          line + 1,
          lineOrEnd(expected, line),
          lineOrEnd(actual, line),
          HOW_TO_FIX);
    }
  }

  /** Lines without their terminators, so a CRLF checkout does not count as drift. */
  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  private static int firstDifference(List<String> a, List<String> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String lineOrEnd(List<String> lines, int index) {
    return index < lines.size() ? lines.get(index) : "<end of file>";
  }
}
