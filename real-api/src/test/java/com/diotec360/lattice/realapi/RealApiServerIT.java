package com.diotec360.lattice.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.diotec360.lattice.embedded.Verb;
import com.diotec360.lattice.embedded.Writes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness itself: identities the server holds to RBAC, and writes counted from its audit log. */
@RealApiTest
class RealApiServerIT {

  @Test
  void writesAreCountedPerKindVerbUserAndNamespace(RealApi api) {
    Writes before = api.writes();
    var map = api.client().configMaps().resource(new ConfigMapBuilder()
        .withNewMetadata().withName("counted").endMetadata().withData(Map.of("a", "1")).build()).create();
    map.setData(Map.of("a", "2"));
    api.client().resource(map).update();
    api.client().configMaps().withName("counted").delete();

    Writes made = api.writes().since(before);
    assertThat(made.of("ConfigMap", Verb.CREATE)).isEqualTo(1);
    assertThat(made.of("ConfigMap", Verb.UPDATE)).isEqualTo(1);
    assertThat(made.of("ConfigMap", Verb.DELETE)).isEqualTo(1);
    assertThat(made.by("lattice-test-admin")).isEqualTo(3);
    assertThat(made.total()).isEqualTo(3);
  }

  @Test
  void aServiceAccountMayDoWhatItsRolesAllowAndNothingElse(RealApi api) {
    var role = new RoleBuilder()
        .withNewMetadata().withName("read-config").withNamespace(api.namespace()).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
            .withVerbs("get", "list", "create").build())
        .build();
    KubernetesClient limited = api.server().clientAs(
        "system:serviceaccount:" + api.namespace() + ":limited", List.of(), List.of(role));
    Writes before = api.writes();

    limited.configMaps().inNamespace(api.namespace()).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("allowed").endMetadata().build()).create();
    assertThatThrownBy(() -> limited.secrets().inNamespace(api.namespace()).list())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    assertThatThrownBy(() -> limited.configMaps().inNamespace(api.namespace()).withName("allowed").delete())
        .isInstanceOf(KubernetesClientException.class);

    Writes made = api.writes().since(before);
    assertThat(made.by("system:serviceaccount:" + api.namespace() + ":limited")).isEqualTo(1);
    assertThat(made.refused("ConfigMap")).isEqualTo(1);
  }

  @Test
  void aPlainUserHasACertificateAndNoRightsByDefault(RealApi api) {
    KubernetesClient nobody = api.server().clientWith(api.server().credentialsFor("nobody", List.of()));
    assertThatThrownBy(() -> nobody.configMaps().inNamespace(api.namespace()).list())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getMessage()).contains("User \"nobody\""));
  }
}
