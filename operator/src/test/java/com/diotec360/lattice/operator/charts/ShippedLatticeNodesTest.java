package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.CrdValidator;
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
 * accepted by the CRD's schema and CEL rules, as a real API server would check them (the mock API
 * server in the integration tests checks nothing).
 */
class ShippedLatticeNodesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void examplesAreValidLatticeNodes() throws IOException {
    for (String example : List.of("examples/dual-node.yaml", "examples/triangle.yaml")) {
      List<JsonNode> nodes = latticeNodes(Files.readString(HelmChart.repoRoot().resolve(example)));
      assertThat(nodes).as(example).isNotEmpty();
      nodes.forEach(n -> assertThat(CrdValidator.problems(n)).as(example + " " + name(n)).isEmpty());
    }
  }

  @Test
  void theLatticeChartRendersValidLatticeNodes() throws IOException {
    Path triangle = HelmChart.repoRoot().resolve("charts/lattice/values-triangle.yaml");
    for (String rendered :
        List.of(HelmChart.LATTICE.template(Map.of()), HelmChart.LATTICE.template(Map.of(), triangle))) {
      List<JsonNode> nodes = latticeNodes(rendered);
      assertThat(nodes).isNotEmpty();
      nodes.forEach(n -> assertThat(CrdValidator.problems(n)).as(name(n)).isEmpty());
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
