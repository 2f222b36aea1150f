package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Helm installs the chart's crds/ directory; it must be the CRD the build generates from the Java
 * model. Fix a failure with:
 * {@code scripts/update-crd.sh}, which refreshes both committed copies.
 */
class ChartCrdTest {

  static final String CRD_FILE = "latticenodes.lattice.diotec360.com-v1.yml";

  @Test
  void chartCarriesTheGeneratedCrd() throws IOException {
    Path generated =
        HelmChart.repoRoot().resolve("operator/target/classes/META-INF/fabric8").resolve(CRD_FILE);
    Path inChart = HelmChart.OPERATOR.file("crds/" + CRD_FILE);

    assertThat(Files.readString(inChart))
        .as("charts/lattice-operator/crds/%s differs from the generated CRD: run scripts/update-crd.sh and commit", CRD_FILE)
        .isEqualTo(Files.readString(generated));
  }
}
