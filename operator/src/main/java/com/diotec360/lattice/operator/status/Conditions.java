package com.diotec360.lattice.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * metav1.Condition bookkeeping: one condition per type; lastTransitionTime changes only when the
 * status flips, so a condition that stays True keeps the time it became True.
 */
public final class Conditions {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return Objects.requireNonNullElse(conditions, List.<Condition>of()).stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /** A copy of {@code previous} with the condition of that type set to the given values. */
  public static List<Condition> with(
      List<Condition> previous,
      String type,
      String status,
      String reason,
      String message,
      Long observedGeneration,
      Instant now) {
    Optional<Condition> old = find(previous, type);
    String transition =
        old.filter(c -> status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    List<Condition> result = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : Objects.requireNonNullElse(previous, List.<Condition>of())) {
      if (type.equals(c.getType())) {
        result.add(updated);
        replaced = true;
      } else {
        result.add(c);
      }
    }
    if (!replaced) {
      result.add(updated);
    }
    return result;
  }
}
