package com.diotec360.lattice.operator.judge;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The verdict on one member and the memory to keep for the next judgement.
 *
 * @param verdict the verdict
 * @param mismatchSince when the member started to hold another root than the reference, or null
 * @param divergedSince when the member was first judged Diverged, or null
 * @param graceEndsAt for a pending verdict (Behind, Ahead): when it turns Diverged if nothing changes
 */
public record MemberJudgement(
    Verdict verdict, Instant mismatchSince, Instant divergedSince, Instant graceEndsAt) {

  /** How long until this judgement can change on its own (grace expiry), if it can. */
  public Optional<Duration> recheckAfter(Instant now) {
    if (graceEndsAt == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, graceEndsAt);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }
}
