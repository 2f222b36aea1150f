package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accepted writes are also counted per user (the identity a bearer token was bound to), so a test
 * can tell which of two operator processes wrote; a kubeconfig can carry such a token to another
 * process.
 */
class WritesByUserIT {

  private static final ClusterRole CONFIGMAPS = new ClusterRoleBuilder()
      .withNewMetadata().withName("cm").endMetadata()
      .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("create", "update", "delete", "get").endRule()
      .build();

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void countsAcceptedWritesByTheUserOfTheirToken(@TempDir Path dir) throws Exception {
    KubernetesClient alice = api.clientAs("alice", List.of(CONFIGMAPS), List.of());
    String bobToken = api.bindToken("bob", List.of(CONFIGMAPS), List.of());
    Path kubeconfig = api.writeKubeconfig(dir.resolve("bob.kubeconfig"), "test", bobToken);
    assertThat(Files.readString(kubeconfig)).contains("token: " + bobToken);

    try (KubernetesClient bob = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
      alice.configMaps().inNamespace("test").resource(map("a")).create();
      bob.configMaps().inNamespace("test").resource(map("b1")).create();
      bob.configMaps().inNamespace("test").withName("b1").delete();
      api.client().configMaps().inNamespace("test").resource(map("admin")).create();
      // refused (409: it exists already): counted for nobody
      assertThatThrownBy(() -> bob.configMaps().inNamespace("test").resource(map("a")).create())
          .isInstanceOf(KubernetesClientException.class);
    }

    Writes writes = api.writes();
    assertThat(writes.by("alice")).isEqualTo(1);
    assertThat(writes.by("bob")).isEqualTo(2);
    assertThat(writes.by(Writes.UNBOUND)).isEqualTo(1);
    assertThat(writes.byUser()).containsOnlyKeys("alice", "bob", Writes.UNBOUND);

    Writes before = writes;
    alice.configMaps().inNamespace("test").resource(map("a2")).create();
    assertThat(api.writes().since(before).byUser()).isEqualTo(Map.of("alice", 1L));

    api.resetWrites();
    assertThat(api.writes().by("alice")).isZero();
  }

  private static io.fabric8.kubernetes.api.model.ConfigMap map(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v").build();
  }
}
