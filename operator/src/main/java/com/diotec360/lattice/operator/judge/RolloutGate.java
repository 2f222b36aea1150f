package com.diotec360.lattice.operator.judge;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a member may restart onto its new pod-template revision now. Changes that
 * restart a node go through here so that a lattice restarts one Consistent member at a time:
 *
 * <ol>
 *   <li>a member that is not Consistent anyway (down, starting, Behind, Diverged) goes at once:
 *       restarting it takes nothing away, and holding it would keep a fix from a lattice whose
 *       members all fail;
 *   <li>a Consistent member waits while any other member is restarting still (running a revision
 *       it has not yet been seen Ready and Consistent on);
 *   <li>members waiting go in order: those not Consistent first, then by name;
 *   <li>it restarts only while at least {@link Quorum#keep} other members stay Consistent.
 * </ol>
 *
 * Members reconcile in parallel, each asking for itself. The members allowed to go are remembered
 * per lattice until they are no longer waiting or restarting, so two members deciding at the same
 * moment on slightly different views cannot both go. That memory lives in this operator process only;
 * after a restart or a leader change the Deployments and statuses carry the state (a restarting
 * member is one whose revision differs from its settled one), so nothing depends on it for more
 * than a moment.
 *
 * <p>Plain Java: facts in, decision out.
 */
public final class RolloutGate {

  /**
   * One member as the gate sees it.
   *
   * @param name the LatticeNode's name
   * @param waiting its Deployment runs another revision than its spec asks for, and it is neither
   *     paused nor suspended
   * @param restarting it runs a revision it has not been seen Ready and Consistent on yet
   * @param consistent Ready, answering and holding the lattice's reference root now
   * @param stuck restarting for longer than the rollout deadline
   * @param verdict the judge's verdict on it, for messages (Consistent, Diverged, ...)
   */
  public record Member(
      String name,
      boolean waiting,
      boolean restarting,
      boolean consistent,
      boolean stuck,
      String verdict) {}

  /**
   * Go, or wait for the reason given.
   *
   * @param blocking the member is first in line and waits for the lattice itself (too few members
   *     Consistent), not for another member's turn: a wait past the rollout deadline is stuck
   */
  public record Decision(boolean proceed, String waitingFor, boolean blocking) {
    static Decision go() {
      return new Decision(true, null, false);
    }

    static Decision hold(String why) {
      return new Decision(false, why, false);
    }

    static Decision blocked(String why) {
      return new Decision(false, why, true);
    }
  }

  private final Map<String, Set<String>> allowed = new HashMap<>();

  /**
   * @param lattice a key for the lattice (namespace and name)
   * @param self the member asking; it must be {@code waiting}
   * @param members every member of the lattice, {@code self} included
   */
  public synchronized Decision decide(String lattice, String self, List<Member> members) {
    Member me = members.stream().filter(m -> m.name().equals(self)).findFirst().orElseThrow();
    Set<String> goneAhead = allowed.computeIfAbsent(lattice, k -> new HashSet<>());
    goneAhead.removeIf(
        name -> members.stream().noneMatch(m -> m.name().equals(name) && (m.waiting() || m.restarting())));
    if (!me.consistent()) {
      goneAhead.add(self);
      // Not serving the reference state anyway: restarting it takes nothing away from the
      // lattice. Holding it would deadlock a lattice whose members all fail (a bad image): the fix
      // could never reach any of them.
      return Decision.go();
    }

    Optional<Member> restarting =
        members.stream()
            .filter(m -> !m.name().equals(self) && m.restarting())
            .min(Comparator.comparing(Member::name));
    if (restarting.isPresent()) {
      Member other = restarting.get();
      return Decision.hold(
          "waiting for " + other.name() + " to become Ready and Consistent after its restart"
              + (other.stuck() ? " (its rollout is stuck; see its RolloutStuck condition)" : ""));
    }

    Optional<String> earlier = goneAhead.stream().filter(n -> !n.equals(self)).sorted().findFirst();
    if (earlier.isPresent()) {
      return Decision.hold("waiting for " + earlier.get() + ", which restarts first");
    }

    Member first =
        members.stream()
            .filter(Member::waiting)
            .min(Comparator.comparing((Member m) -> m.consistent() ? 1 : 0)
                .thenComparing(Member::name))
            .orElse(me);
    if (!first.name().equals(self)) {
      return Decision.hold("waiting for " + first.name() + " to restart first");
    }

    int total = members.size();
    long consistent = members.stream().filter(Member::consistent).count();
    long left = me.consistent() ? consistent - 1 : consistent;
    int keep = Quorum.keep(total);
    if (left < keep) {
      String others =
          members.stream()
              .filter(m -> !m.consistent() && !m.name().equals(self))
              .sorted(Comparator.comparing(Member::name))
              .map(m -> m.name() + " is " + m.verdict())
              .reduce((a, b) -> a + ", " + b)
              .orElse("");
      return Decision.blocked(
          "restarting " + self + " now would leave " + left + " of " + total
              + " members Consistent and the lattice keeps at least " + keep
              + (others.isEmpty() ? "" : " (" + others + ")"));
    }
    goneAhead.add(self);
    return Decision.go();
  }

  /** Forgets a lattice whose last member is gone. */
  public synchronized void forget(String lattice) {
    allowed.remove(lattice);
  }
}
