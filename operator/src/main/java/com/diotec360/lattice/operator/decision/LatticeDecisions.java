package com.diotec360.lattice.operator.decision;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The latest {@link LatticeDecision} per lattice, in this operator process: written by the
 * lattice's reconcile, read by its members' reconciles. Publishing wakes exactly the members whose
 * share changed. What must survive a restart or a change of leader (restart and repair turns) is
 * in the Lattice's status as well, from which the next decision starts.
 */
public final class LatticeDecisions {

  private final Map<String, LatticeDecision> latest = new ConcurrentHashMap<>();
  private volatile Consumer<ResourceID> wake = id -> {};

  /** Where members are woken (the member controller's event source, once it runs). */
  public void onWake(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /** The latest decision for {@code namespace/lattice}, if the lattice was reconciled since start. */
  public Optional<LatticeDecision> of(String namespace, String lattice) {
    return Optional.ofNullable(latest.get(key(namespace, lattice)));
  }

  /** Makes {@code decision} the lattice's current one and wakes the members whose share changed. */
  public void publish(String namespace, String lattice, LatticeDecision decision) {
    LatticeDecision before = latest.put(key(namespace, lattice), decision);
    for (String member : decision.judgement().members().keySet()) {
      if (decision.changedFor(member, before)) {
        wake.accept(new ResourceID(member, namespace));
      }
    }
  }

  /** Forgets a lattice that is gone. */
  public void forget(String namespace, String lattice) {
    latest.remove(key(namespace, lattice));
  }

  /** How many lattices it remembers: tests check gone ones leave nothing. */
  public int size() {
    return latest.size();
  }

  private static String key(String namespace, String lattice) {
    return namespace + "/" + lattice;
  }
}
