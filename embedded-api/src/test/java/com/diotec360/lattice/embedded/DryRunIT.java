package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/** A dry run is refused with a message, never stored: a preview must not change anything. */
class DryRunIT {

  @RegisterExtension final TestApi.Fresh fresh = new TestApi.Fresh();
  private EmbeddedApiServer api;

  @BeforeEach
  void start() {
    api = fresh.api();
  }

  @Test
  void aDryRunIsRefusedAndChangesNothing() throws Exception {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"m\"},\"data\":{\"k\":\"v\"}}";
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/namespaces/test/configmaps?dryRun=All"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("dry run (dryRun=All) is not supported by the embedded API");
    assertThat(api.client().configMaps().inNamespace("test").withName("m").get()).isNull();
    assertThat(api.client().configMaps().inNamespace("test")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("m").endMetadata().build())
        .create()).as("the same write without dryRun is stored").isNotNull();
  }
}
