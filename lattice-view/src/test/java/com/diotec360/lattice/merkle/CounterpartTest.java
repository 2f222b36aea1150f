package com.diotec360.lattice.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.merkle.Counterpart.Why;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One choice of the member to compare with, for the operator's evidence, self-heal and diff. */
class CounterpartTest {

  @Test
  void aHolderOfTheReferenceRootFirstByName() {
    var roots = Map.of("n1", "bad", "n3", "good", "n2", "good");

    assertThat(Counterpart.choose("n1", roots, "good"))
        .contains(new Counterpart("n2", "good", Why.HOLDS_REFERENCE, 2));
  }

  @Test
  void withoutAReferenceTheBiggestOtherSideThenTheFirstName() {
    var roots = Map.of("a", "x", "b", "y", "c", "z", "d", "z", "e", "x");

    assertThat(Counterpart.choose("a", roots, null))
        .contains(new Counterpart("c", "z", Why.OTHER_SIDE, 2));
    assertThat(Counterpart.choose("c", roots, null))
        .as("sides of one size: the one whose first member comes first by name")
        .contains(new Counterpart("a", "x", Why.OTHER_SIDE, 2));
  }

  @Test
  void aReferenceNobodyElseHoldsFallsBackToTheOtherSides() {
    var roots = Map.of("n1", "mine", "n2", "other");

    assertThat(Counterpart.choose("n1", roots, "expected"))
        .contains(new Counterpart("n2", "other", Why.OTHER_SIDE, 1));
  }

  @Test
  void onlyMembersOnTheNodesOwnRootLeaveASameRootChoice() {
    assertThat(Counterpart.choose("n1", Map.of("n1", "r", "n2", "r"), null))
        .contains(new Counterpart("n2", "r", Why.SAME_ROOT, 1));
    assertThat(Counterpart.choose("n1", Map.of("n1", "r"), "r")).isEmpty();
  }
}
