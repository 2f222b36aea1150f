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

  private static String howToFix(String file) {
    return "run scripts/update-crd.sh (it regenerates operator/target/classes/META-INF/fabric8/"
        + file + " and copies it to crds/ and the chart), then commit crds/" + file;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.FieldSource("com.diotec360.lattice.operator.api.CustomResources#FILES")
  void committedCrdMatchesTheGeneratedOne(String file) throws IOException {
    Path committed = RepoRoot.find().resolve("crds").resolve(file);
    if (!Files.isRegularFile(committed)) {
      fail("%s is missing: %s", committed, howToFix(file));
    }
    List<String> expected = lines(GeneratedCrd.text(file));
    List<String> actual = lines(Files.readString(committed, StandardCharsets.UTF_8));

    int line = firstDifference(expected, actual);
    if (line >= 0) {
      fail(
          "crds/%s differs from the CRD generated from the Java model, first at line %d:%n"
              + "  generated: %s%n  committed: %s%nTo fix it, %s.",
          file,
          line + 1,
          lineOrEnd(expected, line),
          lineOrEnd(actual, line),
          howToFix(file));
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
