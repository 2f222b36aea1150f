package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartLintTest {

  @ParameterizedTest
  @ValueSource(strings = {"lattice-operator", "lattice"})
  void lintsStrictlyWithoutFindings(String chart) {
    var result = new HelmChart(chart).lintStrict();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }
}
