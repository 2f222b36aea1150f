package com.diotec360.lattice.operator.judge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which members of a lattice may restart onto their new pod-template revision now. Changes
 * that restart a node go through here so that a lattice restarts one Consistent member at a time:
 *
 * <ol>
 *   <li>a member that is not Consistent anyway (down, starting, Behind, Diverged) goes at once:
 *       restarting it takes nothing away, and holding it would keep a fix from a lattice whose
 *       members all fail;
 *   <li>a Consistent member waits while any other member is restarting still (running a revision
 *       it has not yet been seen Ready and Consistent on), or was allowed to go and has not yet;
 *   <li>members waiting go in order: those not Consistent first, then by name;
 *   <li>it restarts only while at least {@link Quorum#keep} other members stay Consistent.
 * </ol>
 *
 * The members allowed to go ({@link Plan#restarting}) are the turn the lattice keeps in its status
 * until they are neither waiting nor restarting; they come back in as {@code allowedBefore}, so two
 * decisions on slightly different views cannot both let a member go, and a new operator leader
 * continues the rollout where the last one left it.
 *
 * <p>Plain Java: facts in, decision out; it remembers nothing.
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

  /**
   * The lattice's rollout now.
   *
   * @param restarting the members allowed to go (new and still going), sorted
   * @param decisions a decision for every waiting member, in the order they were decided
   */
  public record Plan(List<String> restarting, Map<String, Decision> decisions) {

    /** True when {@code member} may apply its new revision now. */
    public boolean mayRestart(String member) {
      return restarting.contains(member);
    }
  }

  private RolloutGate() {}

  /**
   * @param members every member of the lattice
   * @param allowedBefore the members the lattice's status says were allowed to go
   * @param paused the lattice's rollout is paused: nobody new goes
   */
  public static Plan plan(List<Member> members, Set<String> allowedBefore, boolean paused) {
    Set<String> goneAhead = new TreeSet<>(allowedBefore);
    goneAhead.removeIf(
        name -> members.stream().noneMatch(m -> m.name().equals(name) && (m.waiting() || m.restarting())));
    Map<String, Decision> decisions = new LinkedHashMap<>();
    for (Member m : inLine(members)) {
      Decision d = paused && !goneAhead.contains(m.name())
          ? Decision.hold("the lattice's rollout is paused (spec.rollout.paused)")
          : decide(m, members, goneAhead);
      if (d.proceed()) {
        goneAhead.add(m.name());
      }
      decisions.put(m.name(), d);
    }
    return new Plan(List.copyOf(goneAhead), decisions);
  }

  /** The waiting members in the order they go: those not Consistent first, then by name. */
  private static List<Member> inLine(List<Member> members) {
    List<Member> waiting = new ArrayList<>(members.stream().filter(Member::waiting).toList());
    waiting.sort(Comparator.comparing((Member m) -> m.consistent() ? 1 : 0).thenComparing(Member::name));
    return waiting;
  }

  private static Decision decide(Member me, List<Member> members, Set<String> goneAhead) {
    String self = me.name();
    if (goneAhead.contains(self)) {
      return Decision.go(); // its turn, given before: it keeps it until it has restarted
    }
    if (!me.consistent()) {
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

    Optional<String> earlier = goneAhead.stream().filter(n -> !n.equals(self)).findFirst();
    if (earlier.isPresent()) {
      return Decision.hold("waiting for " + earlier.get() + ", which restarts first");
    }

    Member first = inLine(members).get(0);
    if (!first.name().equals(self)) {
      return Decision.hold("waiting for " + first.name() + " to restart first");
    }

    int total = members.size();
    long consistent = members.stream().filter(Member::consistent).count();
    long left = consistent - 1;
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
    return Decision.go();
  }
}
