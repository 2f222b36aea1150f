package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.view.LatticeViews;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whom {@code kubectl lattice diff} compares a node with when no member is named. */
class DiffCounterpartTest {

  private static DiffMember member(String name, String verdict, String root) {
    return new DiffMember(name, "trio", "1", verdict, root, LatticeViews.NONE, null, null, LatticeViews.NONE);
  }

  // trio-a took an entry that reached trio-b; trio-a's root was written before the entry arrived.
  private final DiffMember a = member("trio-a", "Consistent", "old");
  private final DiffMember b = member("trio-b", "Consistent", "new");
  private final DiffMember c = member("trio-c", "Behind", "old");

  @Test
  void aMemberHoldingTheReferenceRootIsTakenFirstByName() {
    assertThat(DiffCommand.counterpart("new", List.of(a, b, c), c)).hasValueSatisfying(chosen -> {
      assertThat(chosen.member().name()).isEqualTo("trio-a");
      assertThat(chosen.why()).isEqualTo("holds the reference root");
    });
  }

  /**
   * A user who may not read Lattices has no reference root; the written roots alone would put
   * trio-a on trio-c's side and pick trio-b. The verdicts say trio-a holds the reference root.
   */
  @Test
  void withoutTheReferenceRootTheMembersJudgedConsistentAreTakenFirst() {
    assertThat(DiffCommand.counterpart(LatticeViews.NONE, List.of(a, b, c), c)).hasValueSatisfying(chosen -> {
      assertThat(chosen.member().name()).isEqualTo("trio-a");
      assertThat(chosen.why()).isEqualTo("judged Consistent, so it holds the reference root");
    });
  }

  @Test
  void withoutVerdictsOrReferenceTheBiggestOtherSideIsTaken() {
    DiffMember x = member("x", "Split", "one");
    DiffMember y = member("y", "Split", "two");
    DiffMember z = member("z", "Split", "two");
    assertThat(DiffCommand.counterpart(LatticeViews.NONE, List.of(x, y, z), x)).hasValueSatisfying(chosen -> {
      assertThat(chosen.member().name()).isEqualTo("y");
      assertThat(chosen.why()).isEqualTo("no reference root; the biggest other side, 2 members");
    });
  }
}
