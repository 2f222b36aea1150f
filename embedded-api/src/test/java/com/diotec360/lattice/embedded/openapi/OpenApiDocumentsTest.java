package com.diotec360.lattice.embedded.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI documents built from the committed LatticeNode CRD and the built-in kinds. */
class OpenApiDocumentsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static OpenApiDocuments documents;
  private static JsonNode crdSchema;

  @BeforeAll
  static void build() throws Exception {
    Path crd = repoRoot().resolve("crds/latticenodes.lattice.diotec360.com-v1.yml");
    JsonNode crdDocument = new YAMLMapper().readTree(Files.readString(crd));
    crdSchema = crdDocument.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    documents = new OpenApiDocuments("v1.32.0-test");
    documents.update(List.of(
        new OpenApiDocuments.Resource("lattice.diotec360.com", "v1alpha1", "latticenodes", "LatticeNode", true, true,
            crdSchema, true),
        new OpenApiDocuments.Resource("apps", "v1", "deployments", "Deployment", true, true, null, false),
        new OpenApiDocuments.Resource("", "v1", "configmaps", "ConfigMap", true, false, null, false)));
  }

  @Test
  void theIndexNamesEachGroupVersionWithTheHashOfItsDocument() throws Exception {
    JsonNode paths = documents.v3Index().path("paths");
    assertThat(paths.fieldNames()).toIterable()
        .containsExactly("api/v1", "apis/apps/v1", "apis/lattice.diotec360.com/v1alpha1");
    String url = paths.path("apis/apps/v1").path("serverRelativeURL").asText();
    assertThat(url).matches("/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}");
    byte[] body = documents.answer(url, "application/json").orElseThrow().body();
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-512");
    assertThat(url).endsWith(java.util.HexFormat.of().withUpperCase().formatHex(sha.digest(body)));
  }

  @Test
  void aCustomResourceIsDescribedByItsCrdSchemaWordForWord() {
    JsonNode doc = documents.v3("apis/lattice.diotec360.com/v1alpha1").orElseThrow();
    JsonNode node = doc.path("components").path("schemas").path("com.diotec360.lattice.v1alpha1.LatticeNode");
    assertThat(node.path("x-kubernetes-group-version-kind").get(0))
        .isEqualTo(JSON.createObjectNode().put("group", "lattice.diotec360.com").put("kind", "LatticeNode")
            .put("version", "v1alpha1"));
    assertThat(node.path("properties").path("spec")).isEqualTo(crdSchema.path("properties").path("spec"));
    assertThat(node.path("properties").path("spec").path("properties").path("sync").path("description").asText())
        .startsWith("How the node keeps its state in sync with its peers");
    assertThat(node.path("properties").path("metadata").path("allOf").get(0).path("$ref").asText())
        .isEqualTo("#/components/schemas/io.fabric8.kubernetes.api.model.ObjectMeta");
    assertThat(doc.path("components").path("schemas").has("io.fabric8.kubernetes.api.model.ObjectMeta")).isTrue();
  }

  @Test
  void patchAndPostDeclareFieldValidationWithTheKind() {
    JsonNode paths = documents.v3("apis/apps/v1").orElseThrow().path("paths");
    JsonNode patch = paths.path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Deployment");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation", "fieldManager", "dryRun");
    assertThat(patch.path("requestBody").path("content").fieldNames()).toIterable()
        .contains("application/strategic-merge-patch+json", "application/merge-patch+json");
    JsonNode post = paths.path("/apis/apps/v1/namespaces/{namespace}/deployments").path("post");
    assertThat(post.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(paths.has("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status")).isTrue();
    JsonNode crPatch = documents.v3("apis/lattice.diotec360.com/v1alpha1").orElseThrow().path("paths")
        .path("/apis/lattice.diotec360.com/v1alpha1/namespaces/{namespace}/latticenodes/{name}").path("patch");
    assertThat(crPatch.path("requestBody").path("content").has("application/strategic-merge-patch+json")).isFalse();
  }

  @Test
  void builtInKindsComeFromTheModelWithPatchDirectives() {
    JsonNode schemas = documents.v3("apis/apps/v1").orElseThrow().path("components").path("schemas");
    JsonNode deployment = schemas.path("io.fabric8.kubernetes.api.model.apps.Deployment");
    assertThat(deployment.path("x-kubernetes-group-version-kind").get(0).path("kind").asText()).isEqualTo("Deployment");
    assertThat(deployment.path("properties").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "spec", "status");
    JsonNode containers = schemas.path("io.fabric8.kubernetes.api.model.PodSpec").path("properties").path("containers");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
    assertThat(containers.path("items").path("$ref").asText())
        .isEqualTo("#/components/schemas/io.fabric8.kubernetes.api.model.Container");
    assertThat(schemas.path("io.fabric8.kubernetes.api.model.Container").path("properties").path("imagePullPolicy")
        .path("type").asText()).isEqualTo("string");
    assertThat(schemas.path("io.fabric8.kubernetes.api.model.ContainerPort").path("properties").path("containerPort")
        .path("format").asText()).isEqualTo("int32");
  }

  @Test
  void v2IsAnEmptySwaggerDocumentInProtobufWhenKubectlAsksForIt() throws Exception {
    var answer = documents.answer("/openapi/v2?timeout=32s",
        "application/com.github.proto-openapi.spec.v2@v1.0+protobuf").orElseThrow();
    assertThat(answer.contentType()).isEqualTo("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    // swagger (field 1) "2.0", info (2) {title (1), version (2)}, empty paths (8) and definitions (9)
    java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
    info.writeBytes(new byte[] {0x0a, 10});
    info.writeBytes("Kubernetes".getBytes(StandardCharsets.UTF_8));
    info.writeBytes(new byte[] {0x12, 12});
    info.writeBytes("v1.32.0-test".getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    expected.writeBytes(new byte[] {0x0a, 3, '2', '.', '0', 0x12, (byte) info.size()});
    expected.writeBytes(info.toByteArray());
    expected.writeBytes(new byte[] {0x42, 0, 0x4a, 0});
    assertThat(answer.body()).isEqualTo(expected.toByteArray());
    JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        documents.answer("/openapi/v2", "application/json").orElseThrow().body());
    assertThat(json.path("swagger").asText()).isEqualTo("2.0");
    assertThat(json.path("definitions").isEmpty()).isTrue();
  }

  @Test
  void unknownPathsAreNotFound() {
    assertThat(documents.answer("/openapi/v3/apis/batch/v1", "application/json")).isEmpty();
  }

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
}
