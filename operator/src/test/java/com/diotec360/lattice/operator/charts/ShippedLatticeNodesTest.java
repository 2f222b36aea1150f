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
 * Every LatticeNode the project ships — the examples and what the lattice chart renders — is
 * accepted by the committed CRD's schema and CEL rules, as a real API server (and the embedded one
 * of the integration tests) would check them.
 */
class ShippedLatticeNodesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final CrdValidator CRD = committedCrd();

  private static CrdValidator committedCrd() {
    try {
      JsonNode crd = YAML.readTree(
          Files.readString(HelmChart.repoRoot().resolve("crds/latticenodes.lattice.diotec360.com-v1.yml")));
      return CrdValidator.forSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void examplesAreValidLatticeNodes() throws IOException {
    for (String example : List.of("examples/dual-node.yaml", "examples/triangle.yaml")) {
      List<JsonNode> nodes = latticeNodes(Files.readString(HelmChart.repoRoot().resolve(example)));
      assertThat(nodes).as(example).isNotEmpty();
      nodes.forEach(n -> assertThat(CRD.problems(n)).as(example + " " + name(n)).isEmpty());
    }
  }

  @Test
  void theLatticeChartRendersValidLatticeNodes() throws IOException {
    Path triangle = HelmChart.repoRoot().resolve("charts/lattice/values-triangle.yaml");
    for (String rendered :
        List.of(HelmChart.LATTICE.template(Map.of()), HelmChart.LATTICE.template(Map.of(), triangle))) {
      List<JsonNode> nodes = latticeNodes(rendered);
      assertThat(nodes).isNotEmpty();
      nodes.forEach(n -> assertThat(CRD.problems(n)).as(name(n)).isEmpty());
    }
  }

  private static List<JsonNode> latticeNodes(String multiDocumentYaml) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(multiDocumentYaml)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && "LatticeNode".equals(doc.path("kind").asText())) {
          nodes.add(doc);
        }
      }
    }
    return nodes;
  }

  private static String name(JsonNode node) {
    return node.path("metadata").path("name").asText();
  }
}
