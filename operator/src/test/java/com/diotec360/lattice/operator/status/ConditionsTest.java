package com.diotec360.lattice.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** metav1.Condition bookkeeping: the transition time moves only when the status flips. */
class ConditionsTest {

  private static final Instant T1 = Instant.parse("2026-11-01T10:00:00.750Z");
  private static final Instant T2 = Instant.parse("2026-11-01T11:30:00Z");

  static Stream<Arguments> changes() {
    return Stream.of(
        // status, reason, message later -> transition time expected
        Arguments.of("True", "Ok", "fine", "2026-11-01T10:00:00Z"),
        Arguments.of("True", "OtherReason", "another message", "2026-11-01T10:00:00Z"),
        Arguments.of("False", "Ok", "fine", "2026-11-01T11:30:00Z"),
        Arguments.of("Unknown", "NotProbed", "?", "2026-11-01T11:30:00Z"));
  }

  @ParameterizedTest(name = "True/Ok then {0}/{1}: transition at {3}")
  @MethodSource("changes")
  void theTransitionTimeMovesOnlyWhenTheStatusFlips(
      String status, String reason, String message, String expectedTransition) {
    List<Condition> first = Conditions.with(null, "Ready", "True", "Ok", "fine", 1L, T1);

    List<Condition> later = Conditions.with(first, "Ready", status, reason, message, 2L, T2);

    Condition ready = Conditions.find(later, "Ready").orElseThrow();
    assertThat(ready.getLastTransitionTime()).isEqualTo(expectedTransition);
    assertThat(ready.getReason()).isEqualTo(reason);
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void theSameValuesLaterGiveAnEqualList() {
    List<Condition> first = Conditions.with(null, "Ready", "False", "Down", "gone", 1L, T1);
    first = Conditions.with(first, "Reachable", "False", "ProbeFailed", "no answer", 1L, T1);

    List<Condition> later = Conditions.with(first, "Ready", "False", "Down", "gone", 1L, T2);
    later = Conditions.with(later, "Reachable", "False", "ProbeFailed", "no answer", 1L, T2);

    assertThat(later).isEqualTo(first);
  }

  @Test
  void otherTypesAndTheirOrderAreKept() {
    List<Condition> conditions = Conditions.with(null, "Ready", "True", "Ok", "m", 1L, T1);
    conditions = Conditions.with(conditions, "Reachable", "True", "Ok", "m", 1L, T1);

    List<Condition> changed = Conditions.with(conditions, "Ready", "False", "Down", "m", 1L, T2);

    assertThat(changed).extracting(Condition::getType).containsExactly("Ready", "Reachable");
    assertThat(changed.get(1)).isEqualTo(conditions.get(1));
  }
}
