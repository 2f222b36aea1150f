package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

  @Test
  void findsATypoAnywhereInTheManifest() {
    var objects = HelmChart.parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          template:
            spec:
              containers:
                - name: c
                  imagePullPolicy: Always
                  securityContex: {}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: y
        sepc: {}
        """);

    assertThat(UnknownFields.in(objects.get(0))).containsExactly("spec.template.spec.containers[0].securityContex");
    assertThat(UnknownFields.in(objects.get(1))).containsExactly("sepc");
  }
}
