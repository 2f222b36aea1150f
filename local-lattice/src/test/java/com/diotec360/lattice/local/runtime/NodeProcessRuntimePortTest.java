package com.diotec360.lattice.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose remembered loopback port was taken while it was stopped starts again on a new port,
 * and everything derived from the port follows: {@code urlOf} and the peer files of other nodes.
 */
@EnableKubernetesMockClient(crud = true)
class NodeProcessRuntimePortTest {

  private static final String NS = "default";
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  static KubernetesClient client;

  @TempDir Path work;
  private NodeProcessRuntime runtime;

  @AfterEach
  void stopRuntime() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void nodeRestartsOnANewPortWhenItsPortWasTakenWhileStopped() throws Exception {
    client.services().inNamespace(NS).resource(new ServiceBuilder()
        .withNewMetadata().withName("alpha").withNamespace(NS).endMetadata()
        .withNewSpec().addToSelector("app", "alpha").endSpec().build()).create();
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("beta-config").withNamespace(NS).endMetadata()
        .addToData("DIOTEC360_PEERS_FILE", "/etc/lattice/peers").build()).create();
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("beta-peer-list").withNamespace(NS).endMetadata()
        .addToData("peers", "http://alpha.default.svc:8000\n").build()).create();
    client.apps().deployments().inNamespace(NS).resource(node("alpha", false)).create();
    client.apps().deployments().inNamespace(NS).resource(node("beta", true)).create();

    runtime = new NodeProcessRuntime(client, fakeNodeJar(), work.resolve("nodes"), Duration.ofMillis(200));
    runtime.start();
    await().atMost(STARTUP).until(() -> answersHealth("alpha") && answersHealth("beta"));
    String firstUrl = runtime.urlOf(NS, "alpha").orElseThrow();
    await().atMost(STARTUP).until(() -> betaPeers().equals(firstUrl + "\n"));

    scale("alpha", 0);
    await().atMost(STARTUP).until(() -> !runtime.isRunning(NS, "alpha"));
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), URI.create(firstUrl).getPort()));
      scale("alpha", 1);

      await().atMost(STARTUP).until(() -> answersHealth("alpha"));
      String newUrl = runtime.urlOf(NS, "alpha").orElseThrow();
      assertThat(newUrl).isNotEqualTo(firstUrl);
      await().atMost(STARTUP).until(() -> betaPeers().equals(newUrl + "\n"));
      assertThat(runtime.urlOf(NS, "alpha")).contains(newUrl);
    }
  }

  private boolean answersHealth(String node) {
    if (!runtime.isRunning(NS, node)) {
      return false;
    }
    String url = runtime.urlOf(NS, node).orElse(null);
    try {
      HttpResponse<Void> response = HTTP.send(
          HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(1)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    }  catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String betaPeers() throws IOException {
    Path file = runtime.directoryOf(NS, "beta").resolve("peers");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** A merge patch without resourceVersion: the runtime writes the Deployment's status meanwhile. */
  private static void scale(String name, int replicas) {
    client.apps().deployments().inNamespace(NS).withName(name).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  /** An operator-style node Deployment; {@code withPeerList} mounts a peer-list ConfigMap as alpha's peer. */
  private static Deployment node(String name, boolean withPeerList) {
    var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("node").withImage("lattice-node");
    var podSpec = new io.fabric8.kubernetes.api.model.PodSpecBuilder();
    if (withPeerList) {
      container.addNewEnvFrom().withNewConfigMapRef().withName(name + "-config").endConfigMapRef().endEnvFrom()
          .addNewVolumeMount().withName("peer-list").withMountPath("/etc/lattice").endVolumeMount();
      podSpec.addNewVolume().withName("peer-list").withNewConfigMap().withName(name + "-peer-list").endConfigMap()
          .endVolume();
    }
    podSpec.withContainers(container.build());
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "lattice-operator", "app.kubernetes.io/component", "node"))
        .endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withSpec(podSpec.build()).endTemplate()
        .endSpec().build();
  }

  /** A jar whose manifest runs {@link FakeNodeMain} from this module's test classes. */
  private Path fakeNodeJar() throws Exception {
    Path classes = Path.of(FakeNodeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeNodeMain.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
    Path jar = work.resolve("fake-node.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // the manifest is the whole jar
    }
    return jar;
  }
}
