package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatticeChartRenderTest {

  /** Fails on any field the LatticeNode model does not know (a typo in the chart or values). */
  static final ObjectMapper STRICT =
      Serialization.jsonMapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static List<LatticeNode> latticeNodes(List<HasMetadata> objects) {
    return HelmChart.ofType(objects, GenericKubernetesResource.class).stream()
        .filter(o -> o.getKind().equals("LatticeNode"))
        .map(o -> STRICT.convertValue(o, LatticeNode.class))
        .toList();
  }

  @Test
  void defaultValuesDescribeTheDualNodeLattice() {
    List<LatticeNode> nodes = latticeNodes(HelmChart.LATTICE.render(Map.of()));

    assertThat(nodes).extracting(n -> n.getMetadata().getName() + ":" + n.getSpec().getRole())
        .containsExactly("genesis-public:genesis-public", "genesis-primary:genesis-primary");
    assertThat(nodes).allSatisfy(n -> {
      assertThat(n.getSpec().getLattice()).isEqualTo("diotec360");
      assertThat(n.getMetadata().getNamespace()).isEqualTo(HelmChart.RELEASE_NAMESPACE);
      assertThat(n.getSpec().getDns().getAliases()).isNotEmpty()
          .allSatisfy(a -> assertThat(a.getTtlSeconds()).isEqualTo(60));
      assertThat(n.getMetadata().getLabels()).containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance",
          "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of");
    });
  }

  @Test
  void triangleValuesAddTheBackupNode() {
    List<LatticeNode> nodes =
        latticeNodes(HelmChart.LATTICE.render(Map.of(), HelmChart.LATTICE.file("values-triangle.yaml")));

    assertThat(nodes).extracting(n -> n.getSpec().getRole())
        .containsExactly("genesis-public", "genesis-primary", "genesis-backup");
  }

  @Test
  void nodeFieldsOverrideTheDefaults() {
    List<LatticeNode> nodes = latticeNodes(HelmChart.parse(HelmChart.LATTICE.template("""
        nodes:
          - name: a
            role: genesis-public
          - name: b
            role: genesis-primary
            sync: {mode: http, p2p: {enabled: false}}
        """)));

    assertThat(nodes.get(0).getSpec().getSync().getP2p().getEnabled()).isTrue();
    assertThat(nodes.get(1).getSpec().getSync().getP2p().getEnabled()).isFalse();
    assertThat(nodes.get(1).getSpec().getSync().getHeartbeatIntervalSeconds()).isEqualTo(5);
  }

  @Test
  void networkPolicyAdmitsMembersTheOperatorAndDeclaredSourcesOnly() {
    List<HasMetadata> objects = HelmChart.parse(HelmChart.LATTICE.template("""
        networkPolicy:
          enabled: true
          externalSources:
            - ipBlock: {cidr: 198.51.100.0/24}
        """));

    NetworkPolicy policy = HelmChart.ofType(objects, NetworkPolicy.class).get(0);
    assertThat(UnknownFields.in(policy)).isEmpty();
    assertThat(policy.getSpec().getIngress()).hasSize(3);
    assertThat(policy.getSpec().getIngress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal())
        .containsExactly(8000, 9000);
    assertThat(policy.getSpec().getIngress().get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "lattice-system");
    assertThat(policy.getSpec().getIngress().get(2).getFrom().get(0).getIpBlock().getCidr()).isEqualTo("198.51.100.0/24");
  }

  @Test
  void rejectsTwoNodesWithOneName() {
    assertThatThrownBy(() -> HelmChart.LATTICE.template("""
        nodes:
          - {name: a, role: genesis-public}
          - {name: a, role: genesis-primary}
        """))
        .hasMessageContaining("appears twice");
  }
}
