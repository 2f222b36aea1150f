package com.diotec360.lattice.operator.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from wherever the tests run (module dir, repo root, an IDE). */
final class RepoRoot {

  private RepoRoot() {}

  /** The nearest directory, from the working directory upwards, that holds {@code crds/}. */
  static Path find() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("crds"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no crds/ directory in " + start + " or any parent: run the tests inside the repository");
  }
}
