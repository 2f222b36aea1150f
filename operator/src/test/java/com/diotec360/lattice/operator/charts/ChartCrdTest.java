package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Helm installs the chart's crds/ directory; it must be the CRD the build generates from the Java
 * model. Fix a failure with:
 * {@code scripts/update-crd.sh}, which refreshes both committed copies.
 */
class ChartCrdTest {

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.FieldSource("com.diotec360.lattice.operator.api.CustomResources#FILES")
  void chartCarriesTheGeneratedCrd(String crdFile) throws IOException {
    Path generated =
        HelmChart.repoRoot().resolve("operator/target/classes/META-INF/fabric8").resolve(crdFile);
    Path inChart = HelmChart.OPERATOR.file("crds/" + crdFile);

    assertThat(Files.readString(inChart))
        .as("charts/lattice-operator/crds/%s differs from the generated CRD: run scripts/update-crd.sh and commit", crdFile)
        .isEqualTo(Files.readString(generated));
  }
}
