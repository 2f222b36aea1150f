package com.diotec360.lattice.realapi.conformance;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.realapi.KubeAssets;
import com.diotec360.lattice.realapi.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A watch resumed from a resourceVersion the server has let go of, on each server made to let go:
 * a real one without watch cache (every watch is served by etcd, as on a cluster whose cache no
 * longer holds that version) after an etcd compaction, and an embedded one after more changes than
 * it keeps. Each server is started for this alone and stopped after it.
 */
final class GoneWatches {

  private GoneWatches() {}

  static Target.Answer onReal() throws Exception {
    KubeAssets assets = KubeAssets.find().orElseThrow();
    try (RealApiServer server = RealApiServer.start(assets, false, Path.of("target", "real-api"),
        List.of("--watch-cache=false"))) {
      KubernetesClient client = server.client();
      server.ensureNamespace("gone");
      ConfigMap first = client.configMaps().inNamespace("gone").resource(configMap("0")).create();
      client.configMaps().inNamespace("gone").resource(configMap("1")).update();
      // compacted past the first change after the watch's version: that change is gone
      ConfigMap last = client.configMaps().inNamespace("gone").resource(configMap("2")).update();
      HttpResponse<String> compacted = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.etcdUrl() + "/v3/kv/compaction"))
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"revision\":\"" + last.getMetadata().getResourceVersion() + "\",\"physical\":true}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (compacted.statusCode() != 200) {
        throw new IllegalStateException("etcd did not compact: " + compacted.body());
      }
      return watch(client, first.getMetadata().getResourceVersion());
    }
  }

  static Target.Answer onEmbedded() {
    try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
      KubernetesClient client = server.client();
      ConfigMap first = client.configMaps().inNamespace("gone").resource(configMap("0")).create();
      for (int i = 1; i <= 4100; i++) { // more than the changes it keeps for resuming watches
        client.configMaps().inNamespace("gone").resource(configMap(String.valueOf(i))).update();
      }
      return watch(client, first.getMetadata().getResourceVersion());
    }
  }

  private static ConfigMap configMap(String value) {
    return new ConfigMapBuilder().withNewMetadata().withName("gone").withNamespace("gone").endMetadata()
        .withData(Map.of("v", value)).build();
  }

  private static Target.Answer watch(KubernetesClient client, String resourceVersion) {
    return new Target.Request(client, "GET",
        "/api/v1/namespaces/gone/configmaps?watch=true&timeoutSeconds=1&resourceVersion=" + resourceVersion).send();
  }
}
