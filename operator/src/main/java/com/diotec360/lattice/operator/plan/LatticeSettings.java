package com.diotec360.lattice.operator.plan;

import com.diotec360.lattice.operator.api.v1alpha1.DisruptionBudgetSpec;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeSpec;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The lattice-wide settings in effect, with every default applied: from the Lattice's spec, and,
 * for one release, from the deprecated per-node fields ({@code spec.expectedMerkleRoot}, {@code
 * spec.selfHeal}) where the Lattice does not set them.
 *
 * @param expectedRoot the root members are judged against, or null for the majority root
 * @param latticeSelfHeal the Lattice's own selfHeal.enabled, or empty when it does not set it
 * @param budgetEnabled whether the operator keeps the lattice's PodDisruptionBudget
 * @param maxUnavailable running members a drain may take at once (before the quorum rule)
 * @param rolloutPaused true: no member restarts onto a new revision
 * @param rolloutDeadline how long a restarting member (or the first in line) may take
 */
public record LatticeSettings(
    String expectedRoot,
    Optional<Boolean> latticeSelfHeal,
    boolean budgetEnabled,
    int maxUnavailable,
    boolean rolloutPaused,
    Duration rolloutDeadline) {

  /**
   * @param lattice the Lattice (its spec may be empty)
   * @param members its members, for the deprecated per-node fields
   * @param defaultRolloutDeadline the operator's LATTICE_ROLLOUT_DEADLINE_SECONDS
   */
  public static LatticeSettings of(Lattice lattice, List<LatticeNode> members, Duration defaultRolloutDeadline) {
    LatticeSpec spec = Objects.requireNonNullElseGet(lattice.getSpec(), LatticeSpec::new);
    String expected = spec.getExpectedMerkleRoot() != null
        ? spec.getExpectedMerkleRoot()
        : deprecatedExpectedRoot(members);
    Optional<Boolean> selfHeal =
        Optional.ofNullable(spec.getSelfHeal()).map(s -> Boolean.TRUE.equals(s.getEnabled()));
    DisruptionBudgetSpec budget = spec.getDisruptionBudget();
    boolean budgetEnabled = budget == null || !Boolean.FALSE.equals(budget.getEnabled());
    int maxUnavailable = budget == null || budget.getMaxUnavailable() == null
        ? DisruptionBudgetSpec.DEFAULT_MAX_UNAVAILABLE
        : budget.getMaxUnavailable();
    var rollout = spec.getRollout();
    boolean paused = rollout != null && Boolean.TRUE.equals(rollout.getPaused());
    Duration deadline = rollout == null || rollout.getDeadlineSeconds() == null
        ? defaultRolloutDeadline
        : Duration.ofSeconds(rollout.getDeadlineSeconds());
    return new LatticeSettings(expected, selfHeal, budgetEnabled, maxUnavailable, paused, deadline);
  }

  /** Whether self-heal is on for this member: the Lattice's setting, else the member's own (deprecated). */
  public boolean selfHealing(LatticeNode member) {
    return latticeSelfHeal.orElseGet(() -> member.getSpec().selfHealing());
  }

  /**
   * The deprecated per-node expectedMerkleRoot: the oldest member's that sets one (the validator
   * refuses members that set another).
   */
  private static String deprecatedExpectedRoot(List<LatticeNode> members) {
    return members.stream()
        .filter(m -> m.getSpec().getExpectedMerkleRoot() != null)
        .min(Comparator.comparing((LatticeNode m) ->
                Objects.requireNonNullElse(m.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(m -> m.getMetadata().getName()))
        .map(m -> m.getSpec().getExpectedMerkleRoot())
        .orElse(null);
  }
}
