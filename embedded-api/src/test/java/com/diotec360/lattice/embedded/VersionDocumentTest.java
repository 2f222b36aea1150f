package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /version answers each kubectl with its own minor version, so none warns about skew. */
class VersionDocumentTest {

  private final DiscoveryDocuments documents = new DiscoveryDocuments("127.0.0.1:1", List.of());

  @Test
  void kubectlIsToldItsOwnMinorVersion() throws Exception {
    var v = new ObjectMapper().readTree(documents.at("/version?timeout=32s",
        "kubectl/v1.35.2 (linux/amd64) kubernetes/abcdef0").orElseThrow());
    assertThat(v.path("major").asText()).isEqualTo("1");
    assertThat(v.path("minor").asText()).isEqualTo("35");
    assertThat(v.path("gitVersion").asText()).isEqualTo("v1.35.0-lattice-local");
    assertThat(documents.version("kubectl.1.30/v1.30.13 (linux/amd64) kubernetes/50af91c")).contains("\"minor\":\"30\"");
  }

  @Test
  void otherClientsAreToldTheDefault() {
    assertThat(documents.version("fabric8-kubernetes-client/7.5.2")).contains("\"minor\":\"32\"");
    assertThat(documents.version("kubectl-dispatcher/v1.0 (linux/amd64)")).contains("\"minor\":\"32\"");
    assertThat(documents.version(null)).contains("\"gitVersion\":\"v1.32.0-lattice-local\"");
  }
}
