package com.diotec360.lattice.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.local.cli.NodeStatusProbe.NodeView;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  private static NodeView view(String root, long version) {
    return new NodeView(root, version, "P2P", 1, "auto");
  }

  @Test
  void verdicts() {
    NodeView a = view("aa", 5);
    NodeView b = view("bb", 3);
    NodeView c = view("cc", 7);
    assertThat(StatusTable.verdict(Optional.of(a), List.of(a, a, b))).isEqualTo("Consistent");
    assertThat(StatusTable.verdict(Optional.of(b), List.of(a, a, b))).isEqualTo("Behind");
    assertThat(StatusTable.verdict(Optional.of(c), List.of(a, a, c))).isEqualTo("Diverged");
    assertThat(StatusTable.verdict(Optional.of(a), List.of(a, b))).isEqualTo("Diverged");
    assertThat(StatusTable.verdict(Optional.of(a), List.of(a))).isEqualTo("Consistent");
    assertThat(StatusTable.verdict(Optional.empty(), List.of(a))).isEqualTo("Unknown");
  }

  @Test
  void emptyTableSaysWhatToDo() {
    assertThat(StatusTable.render(List.of())).contains("NODE").contains("kubectl apply");
  }
}
