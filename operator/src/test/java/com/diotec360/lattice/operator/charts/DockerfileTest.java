package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No Docker here: checks the image and the chart agree on what the chart relies on. */
class DockerfileTest {

  @Test
  void imageRunsTheJarAsTheChartsNonRootUserOnTheChartsPort() throws Exception {
    String dockerfile = Files.readString(HelmChart.repoRoot().resolve("operator/Dockerfile"));
    var pod = HelmChart.ofType(HelmChart.OPERATOR.render(Map.of()), Deployment.class)
        .get(0).getSpec().getTemplate().getSpec();

    long user = pod.getSecurityContext().getRunAsUser();
    assertThat(dockerfile).containsPattern("(?m)^USER " + user + ":" + user + "$");
    assertThat(dockerfile).contains("\"-jar\", \"/opt/lattice-operator/lattice-operator.jar\"");
    assertThat(dockerfile).contains("EXPOSE " + pod.getContainers().get(0).getPorts().get(0).getContainerPort());
    assertThat(dockerfile).contains("-Djava.io.tmpdir=/tmp");
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
  }
}
