package com.diotec360.lattice.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  static LatticeNode node(String name, String lattice, String version, String root, String verdict) {
    LatticeNode node = new LatticeNode();
    node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    LatticeNodeSpec spec = new LatticeNodeSpec();
    spec.setLattice(lattice);
    spec.setRole("genesis-public");
    node.setSpec(spec);
    LatticeNodeStatus status = new LatticeNodeStatus();
    status.setPhase("Running");
    status.setSyncMode("HTTP");
    status.setPeerCount(0);
    status.setVersion(Long.valueOf(version));
    status.setRootShort(root);
    status.setConsistency(verdict);
    node.setStatus(status);
    return node;
  }

  static Lattice lattice(String name, String phase, int members, int agreeing, String root) {
    Lattice lattice = new Lattice();
    lattice.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    if (phase != null) {
      LatticeStatus status = new LatticeStatus();
      status.setPhase(phase);
      status.setMembers(members);
      status.setAgreeing(agreeing);
      status.setQuorum(members / 2 + 1);
      status.setRootShort(root);
      lattice.setStatus(status);
    }
    return lattice;
  }

  @Test
  void showsWhatTheOperatorReported() {
    String table = StatusTable.render(
        StatusTable.lattices(List.of(lattice("diotec360", "Degraded", 2, 1, "07a313c836d3"))),
        StatusTable.rows(List.of(node("node1", "diotec360", "7", "07a313c836d3", "Behind")),
            n -> Optional.of("http://127.0.0.1:1234")));

    List<String> lines = table.lines().toList();
    assertThat(lines.get(0))
        .as("the Lattice's line, as kubectl get lat shows it")
        .isEqualTo("LATTICE diotec360  Degraded  members 2  agreeing 1  quorum 2  root 07a313c836d3");
    assertThat(lines.get(1)).containsSubsequence("NODE", "ROLE", "PHASE", "SYNC", "PEERS", "VERSION", "ROOT", "CONSISTENT", "API");
    assertThat(lines.get(2))
        .containsSubsequence("node1", "genesis-public", "Running", "HTTP", "0", "7", "07a313c836d3",
            "Behind", "http://127.0.0.1:1234");
  }

  @Test
  void eachLatticeLineStandsAboveItsNodesAndTheColumnsLineUpAcrossLattices() {
    String table = StatusTable.render(
        StatusTable.lattices(List.of(
            lattice("beta", "Healthy", 1, 1, "5df3daee3a0c"), lattice("alpha", "Split", 2, 0, null))),
        StatusTable.rows(List.of(
                node("b-with-a-long-name", "beta", "12345", "5df3daee3a0c", "Consistent"),
                node("a2", "alpha", "1", "07a313c836d3", "Split"),
                node("a1", "alpha", "2", "5df3daee3a0c", "Split")),
            n -> Optional.empty()));
    assertThat(table).isEqualTo("""
        LATTICE alpha  Split  members 2  agreeing 0  quorum 2  root -
          NODE                ROLE            PHASE    SYNC  PEERS  VERSION  ROOT          CONSISTENT  API
          a1                  genesis-public  Running  HTTP  0      2        5df3daee3a0c  Split       -
          a2                  genesis-public  Running  HTTP  0      1        07a313c836d3  Split       -
        LATTICE beta  Healthy  members 1  agreeing 1  quorum 1  root 5df3daee3a0c
          NODE                ROLE            PHASE    SYNC  PEERS  VERSION  ROOT          CONSISTENT  API
          b-with-a-long-name  genesis-public  Running  HTTP  0      12345    5df3daee3a0c  Consistent  -
        """);
  }

  @Test
  void aLatticeWithoutMembersAndNodesWithoutALatticeSaySo() {
    String table = StatusTable.render(
        StatusTable.lattices(List.of(lattice("empty", "NoQuorum", 0, 0, null), lattice("fresh", null, 0, 0, null))),
        StatusTable.rows(List.of(node("n1", "orphan", "0", "07a313c836d3", "Consistent")), n -> Optional.empty()));
    assertThat(table)
        .contains("LATTICE empty  NoQuorum  members 0  agreeing 0  quorum 1  root -\n  (no LatticeNode names this lattice yet)\n")
        .contains("LATTICE fresh  (not judged yet)\n  (no LatticeNode names this lattice yet)\n")
        .contains("LATTICE orphan  (no Lattice yet: the operator makes one)\n  NODE");
  }

  @Test
  void aNodeWithoutStatusShowsDashes() {
    LatticeNode node = new LatticeNode();
    node.setMetadata(new ObjectMetaBuilder().withName("fresh").withNamespace("default").build());
    assertThat(StatusTable.render(List.of(), StatusTable.rows(List.of(node), n -> Optional.empty())))
        .contains("fresh").contains("-");
  }

  @Test
  void emptyTableSaysWhatToDo() {
    assertThat(StatusTable.render(List.of(), List.of())).contains("NODE").contains("kubectl apply");
  }
}
