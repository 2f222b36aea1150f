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

  /**
   * Both images build one module with {@code ./mvnw -pl}; Maven reads every module of the root
   * POM first, so each Dockerfile must copy every module's pom.xml or the build stops at once.
   */
  @Test
  void everyImageBuildSeesEveryModulesPom() throws Exception {
    String rootPom = Files.readString(HelmChart.repoRoot().resolve("pom.xml"));
    var modules =
        java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(rootPom).results()
            .map(m -> m.group(1))
            .toList();
    assertThat(modules).contains("node-image", "operator");
    for (String image : java.util.List.of("operator/Dockerfile", "node-image/Dockerfile")) {
      String dockerfile = Files.readString(HelmChart.repoRoot().resolve(image));
      for (String module : modules) {
        assertThat(dockerfile)
            .as("%s copies %s/pom.xml", image, module)
            .containsPattern("(?m)^COPY " + module + "/pom.xml ");
      }
    }
  }
}
