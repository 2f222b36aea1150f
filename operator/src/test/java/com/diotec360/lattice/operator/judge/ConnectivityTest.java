package com.diotec360.lattice.operator.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.judge.Connectivity.Link;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectivityTest {

  @Test
  void aFullyConnectedLatticeHasNoPartitionAndNoCause() {
    Connectivity c = new Connectivity(Map.of(
        "a", List.of(new Link("b", true, null)),
        "b", List.of(new Link("a", true, null))));
    assertThat(c.summary()).isNull();
    assertThat(c.causeFor("a")).isNull();
  }

  @Test
  void aMemberCutOffFromTheOthersIsNamedWithItsFailingPolls() {
    Connectivity c = new Connectivity(Map.of(
        "a", List.of(new Link("b", true, null), new Link("c", false, null)),
        "b", List.of(new Link("a", true, null), new Link("c", false, null)),
        "c", List.of(new Link("a", false, "connection refused"), new Link("b", false, "timeout"))));
    assertThat(c.summary()).isEqualTo("P2P groups: [a, b] [c]; HTTP failing: c→a (connection refused), c→b (timeout)");
    assertThat(c.causeFor("c"))
        .isEqualTo("c has no P2P link to any member; its HTTP polls of a fail: connection refused; of b fail: timeout");
    assertThat(c.causeFor("a")).isNull();
  }
}
