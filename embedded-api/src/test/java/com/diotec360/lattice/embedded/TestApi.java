package com.diotec360.lattice.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the ITs share: the repository's committed CRDs, LatticeNode and Lattice (crds/ at the
 * root, so no operator build is needed; the examples apply both kinds), raw HTTP to the server, and LatticeNodes as generic resources.
 */
final class TestApi {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NS = "test";
  static final ResourceDefinitionContext LATTICE_NODES = new ResourceDefinitionContext.Builder()
      .withGroup("lattice.diotec360.com").withVersion("v1alpha1").withKind("LatticeNode")
      .withPlural("latticenodes").withNamespaced(true).build();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestApi() {}

  static Path repoRoot() {
    String configured = System.getProperty("lattice.repoRoot");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("crds"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no crds/ directory above the working directory");
  }

  static CustomResourceDefinition latticeNodeCrd() {
    List<CustomResourceDefinition> crds =
        Crds.fromFile(repoRoot().resolve("crds/latticenodes.lattice.diotec360.com-v1.yml"));
    return crds.get(0);
  }

  static CustomResourceDefinition latticeCrd() {
    return Crds.fromFile(repoRoot().resolve("crds/lattices.lattice.diotec360.com-v1.yml")).get(0);
  }

  static EmbeddedApiServer start() {
    return EmbeddedApiServer.start(0, latticeNodeCrd(), latticeCrd());
  }

  static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> nodes(EmbeddedApiServer api) {
    return api.client().genericKubernetesResources(LATTICE_NODES).inNamespace(NS);
  }

  /** A valid LatticeNode with no status. */
  static String node(String name, String lattice) {
    return """
        {"apiVersion":"lattice.diotec360.com/v1alpha1","kind":"LatticeNode",
         "metadata":{"name":"%s","namespace":"%s"},
         "spec":{"lattice":"%s","role":"genesis-primary"}}""".formatted(name, NS, lattice);
  }

  static String nodePath(String name) {
    return "/apis/lattice.diotec360.com/v1alpha1/namespaces/" + NS + "/latticenodes/" + name;
  }

  static String nodesPath() {
    return "/apis/lattice.diotec360.com/v1alpha1/namespaces/" + NS + "/latticenodes";
  }

  /** The answer to one raw request. */
  record Answer(int code, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static Answer send(EmbeddedApiServer api, String method, String path, String contentType, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Answer get(EmbeddedApiServer api, String path) {
    return send(api, "GET", path, null, null);
  }

  static Answer post(EmbeddedApiServer api, String path, String body) {
    return send(api, "POST", path, "application/json", body);
  }

  static Answer put(EmbeddedApiServer api, String path, String body) {
    return send(api, "PUT", path, "application/json", body);
  }

  static Answer jsonPatch(EmbeddedApiServer api, String path, String patch) {
    return send(api, "PATCH", path, "application/json-patch+json", patch);
  }

  static Answer mergePatch(EmbeddedApiServer api, String path, String patch) {
    return send(api, "PATCH", path, "application/merge-patch+json", patch);
  }

  /** A fresh embedded API per test, closed after it: {@code @RegisterExtension final Fresh fresh}. */
  static final class Fresh implements org.junit.jupiter.api.extension.BeforeEachCallback,
      org.junit.jupiter.api.extension.AfterEachCallback {
    private EmbeddedApiServer api;

    EmbeddedApiServer api() {
      return api;
    }

    @Override
    public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
      api = start();
    }

    @Override
    public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) {
      if (api != null) {
        api.close();
      }
    }
  }
}
