package com.diotec360.lattice.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  @Test
  void showsWhatTheOperatorReported() {
    LatticeNode node = new LatticeNode();
    node.setMetadata(new ObjectMetaBuilder().withName("node1").withNamespace("default").build());
    LatticeNodeSpec spec = new LatticeNodeSpec();
    spec.setLattice("diotec360");
    spec.setRole("genesis-public");
    node.setSpec(spec);
    LatticeNodeStatus status = new LatticeNodeStatus();
    status.setPhase("Running");
    status.setSyncMode("HTTP");
    status.setPeerCount(0);
    status.setVersion(7L);
    status.setRootShort("07a313c836d3");
    status.setConsistency("Behind");
    node.setStatus(status);

    String table =
        StatusTable.render(StatusTable.rows(List.of(node), n -> Optional.of("http://127.0.0.1:1234")));

    assertThat(table.lines().skip(1).findFirst().orElseThrow())
        .containsSubsequence(
            "node1", "diotec360", "genesis-public", "Running", "HTTP", "0", "7", "07a313c836d3",
            "Behind", "http://127.0.0.1:1234");
  }

  @Test
  void aNodeWithoutStatusShowsDashes() {
    LatticeNode node = new LatticeNode();
    node.setMetadata(new ObjectMetaBuilder().withName("fresh").withNamespace("default").build());
    assertThat(StatusTable.render(StatusTable.rows(List.of(node), n -> Optional.empty())))
        .contains("fresh").contains("-");
  }

  @Test
  void emptyTableSaysWhatToDo() {
    assertThat(StatusTable.render(List.of())).contains("NODE").contains("kubectl apply");
  }
}
