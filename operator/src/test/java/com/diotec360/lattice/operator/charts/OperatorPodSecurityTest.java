package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator pod meets the "restricted" Pod Security Standard
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/), checked the way the
 * admission controller checks it, so the chart installs into namespaces that enforce it.
 */
class OperatorPodSecurityTest {

  static final List<String> ALLOWED_VOLUME_TYPES =
      List.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

  static List<Map<String, Object>> valueSets() {
    return List.of(Map.of(), OperatorChartRenderTest.ALL_TOGGLES_ON);
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void operatorPodIsRestricted(Map<String, Object> values) {
    Deployment deployment = HelmChart.ofType(HelmChart.OPERATOR.render(values), Deployment.class).get(0);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    var podContext = pod.getSecurityContext();

    // baseline: no host namespaces, no host paths, no host ports, no privileged containers
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    // restricted: only these volume types
    assertThat(pod.getVolumes()).allSatisfy(v ->
        assertThat(volumeTypes(v)).isNotEmpty().allMatch(ALLOWED_VOLUME_TYPES::contains));

    List<Container> containers = new ArrayList<>(pod.getContainers());
    containers.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
    assertThat(containers).allSatisfy(c -> {
      var sc = c.getSecurityContext();
      assertThat(sc).as("securityContext of %s", c.getName()).isNotNull();
      assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
      assertThat(sc.getCapabilities().getDrop()).contains("ALL");
      assertThat(Optional.ofNullable(sc.getCapabilities().getAdd()).orElse(List.of()))
          .allMatch("NET_BIND_SERVICE"::equals);
      boolean nonRoot = Boolean.TRUE.equals(sc.getRunAsNonRoot())
          || sc.getRunAsNonRoot() == null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
      assertThat(nonRoot).as("runAsNonRoot for %s", c.getName()).isTrue();
      Long user = Optional.ofNullable(sc.getRunAsUser()).orElse(podContext.getRunAsUser());
      assertThat(user).as("runAsUser").isNotEqualTo(0L);
      SeccompProfile seccomp = Optional.ofNullable(sc.getSeccompProfile()).orElse(podContext.getSeccompProfile());
      assertThat(seccomp).isNotNull();
      assertThat(seccomp.getType()).isIn("RuntimeDefault", "Localhost");
      assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
      // the project's own habits on top of the standard
      assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(c.getResources().getLimits()).containsKey("memory");
      assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    });
  }

  private static List<String> volumeTypes(io.fabric8.kubernetes.api.model.Volume volume) {
    Map<String, Object> fields =
        io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().convertValue(volume, Map.class);
    return fields.keySet().stream().filter(k -> !k.equals("name")).toList();
  }
}
