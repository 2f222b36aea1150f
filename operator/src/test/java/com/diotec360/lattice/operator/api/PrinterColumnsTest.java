package com.diotec360.lattice.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code kubectl get ln} shows, left to right, on a real API server. */
class PrinterColumnsTest {

  @Test
  void kubectlGetShowsTheLatticeAtAGlance() throws Exception {
    JsonNode columns =
        GeneratedCrd.YAML.readTree(GeneratedCrd.text()).at("/spec/versions/0/additionalPrinterColumns");
    List<String> shown = new ArrayList<>();
    columns.forEach(c -> shown.add(c.get("name").asText() + "=" + c.get("jsonPath").asText()));

    assertThat(shown)
        .containsExactly(
            "Lattice=.spec.lattice",
            "Role=.spec.role",
            "Phase=.status.phase",
            "Sync=.status.syncMode",
            "Peers=.status.peerCount",
            "Root=.status.rootShort",
            "Consistent=.status.consistency",
            "Rollout=.status.rollout.state",
            "Age=.metadata.creationTimestamp");
  }
}
