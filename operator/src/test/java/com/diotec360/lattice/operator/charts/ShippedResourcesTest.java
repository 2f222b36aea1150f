package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.admission.CrdValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every custom resource the project ships — the examples, the 0.1.0 manifests that must still
 * apply, and what the lattice chart renders — is accepted by the committed CRD's schema and CEL
 * rules, as a real API server (and the embedded one of the integration tests) would check them;
 * the examples and the chart use the Lattice.
 */
class ShippedResourcesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, CrdValidator> CRDS = Map.of(
      "LatticeNode", committedCrd("crds/latticenodes.lattice.diotec360.com-v1.yml"),
      "Lattice", committedCrd("crds/lattices.lattice.diotec360.com-v1.yml"));

  private static CrdValidator committedCrd(String file) {
    try {
      JsonNode crd = YAML.readTree(Files.readString(HelmChart.repoRoot().resolve(file)));
      return CrdValidator.forSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void examplesAreValidAndHaveTheirLattice() throws IOException {
    for (String example : List.of("examples/dual-node.yaml", "examples/triangle.yaml")) {
      List<JsonNode> objects = customResources(Files.readString(HelmChart.repoRoot().resolve(example)));
      assertThat(objects).as(example).extracting(ShippedResourcesTest::kind).contains("Lattice", "LatticeNode");
      objects.forEach(n -> assertThat(CRDS.get(kind(n)).problems(n)).as(example + " " + name(n)).isEmpty());
    }
  }

  @Test
  void theManifestsOf010AreStillValid() throws IOException {
    for (String old : List.of("testdata/release-0.1.0/dual-node.yaml", "testdata/release-0.1.0/triangle.yaml")) {
      List<JsonNode> objects = customResources(Files.readString(HelmChart.repoRoot().resolve(old)));
      assertThat(objects).as(old).extracting(ShippedResourcesTest::kind).containsOnly("LatticeNode");
      objects.forEach(n -> assertThat(CRDS.get(kind(n)).problems(n)).as(old + " " + name(n)).isEmpty());
    }
  }

  @Test
  void theLatticeChartRendersAValidLatticeAndItsNodes() throws IOException {
    Path triangle = HelmChart.repoRoot().resolve("charts/lattice/values-triangle.yaml");
    for (String rendered :
        List.of(HelmChart.LATTICE.template(Map.of()), HelmChart.LATTICE.template(Map.of(), triangle))) {
      List<JsonNode> objects = customResources(rendered);
      assertThat(objects).extracting(ShippedResourcesTest::kind).containsOnlyOnce("Lattice").contains("LatticeNode");
      objects.forEach(n -> assertThat(CRDS.get(kind(n)).problems(n)).as(name(n)).isEmpty());
    }
  }

  private static List<JsonNode> customResources(String multiDocumentYaml) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(multiDocumentYaml)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && CRDS.containsKey(kind(doc))) {
          objects.add(doc);
        }
      }
    }
    return objects;
  }

  private static String kind(JsonNode doc) {
    return doc.path("kind").asText();
  }

  private static String name(JsonNode node) {
    return node.path("metadata").path("name").asText();
  }
}
