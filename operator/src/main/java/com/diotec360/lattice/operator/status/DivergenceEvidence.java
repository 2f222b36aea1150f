package com.diotec360.lattice.operator.status;

import com.diotec360.lattice.merkle.Counterpart;
import com.diotec360.lattice.merkle.MerkleComparison.Evidence;
import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.operator.judge.LatticeJudgement;
import com.diotec360.lattice.operator.judge.Verdict;
import com.diotec360.lattice.operator.observe.DivergenceInspector;
import com.diotec360.lattice.operator.observe.ExternalMembers;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * {@code status.divergence}: where a Diverged or Split member's Merkle trie differs from another
 * member's. The evidence of a comparison for the current roots is shown once the inspector found
 * it; until then one is asked for (it runs off the reconcile thread and wakes the node when done).
 *
 * <p>Compared with: the {@link Counterpart} — for a Diverged member one holding the reference root
 * (nobody else: evidence against another diverged member would mislead), for a Split member one
 * on the biggest other side.
 */
public final class DivergenceEvidence {

  private final DivergenceInspector inspector;
  private final ExternalMembers addresses;

  /** @param addresses where each member answers, in the cluster or external */
  public DivergenceEvidence(DivergenceInspector inspector, ExternalMembers addresses) {
    this.inspector = inspector;
    this.addresses = addresses;
  }

  /**
   * The divergence to show for member {@code name} of {@code latticeName} judged {@code verdict},
   * if any; {@code node} is its prober id (a LatticeNode's, or an external member's).
   */
  public Optional<DivergenceStatus> of(
      ResourceID node, String name, String latticeName, Verdict verdict, LatticeJudgement lattice) {
    if (verdict != Verdict.DIVERGED && verdict != Verdict.SPLIT) {
      inspector.forget(node);
      return Optional.empty();
    }
    String mine = lattice.roots().get(name);
    if (mine == null) {
      return Optional.empty();
    }
    Counterpart.Why wanted = verdict == Verdict.SPLIT ? Counterpart.Why.OTHER_SIDE : Counterpart.Why.HOLDS_REFERENCE;
    Optional<Counterpart> other =
        Counterpart.choose(name, lattice.roots(), lattice.referenceRoot()).filter(c -> c.why() == wanted);
    if (other.isEmpty()) {
      DivergenceStatus none = new DivergenceStatus();
      none.setUnavailable("no reachable member holds the reference root to compare with");
      none.setSummary("no Merkle comparison: no reachable member holds the reference root");
      return Optional.of(none);
    }
    String namespace = node.getNamespace().orElse("");
    Counterpart against = other.get();
    Optional<Evidence> found = inspector.evidence(node, mine, against.name(), against.root());
    if (found.isEmpty()) {
      inspector.request(
          node, addresses.urlOf(namespace, latticeName, name), mine,
          against.name(), addresses.urlOf(namespace, latticeName, against.name()), against.root());
    }
    return found.map(e -> status(e, name));
  }

  /** The divergence of a LatticeNode ({@code node} names it). */
  public Optional<DivergenceStatus> of(ResourceID node, String latticeName, Verdict verdict, LatticeJudgement lattice) {
    return of(node, node.getName(), latticeName, verdict, lattice);
  }

  /** Forgets the evidence kept for a node that is gone. */
  public void forget(ResourceID node) {
    inspector.forget(node);
  }

  static DivergenceStatus status(Evidence e, String node) {
    DivergenceStatus d = new DivergenceStatus();
    d.setComparedWith(e.comparedWith());
    d.setAt(e.at().toString());
    d.setRequests(e.requests());
    d.setBytes(e.bytes());
    d.setSummary(e.sentence(node));
    if (!e.available()) {
      d.setUnavailable(e.unavailable());
      return d;
    }
    d.setMissing(e.missing());
    d.setExtra(e.extra());
    d.setBuckets(e.buckets());
    d.setMissingSamples(e.missingSamples());
    d.setExtraSamples(e.extraSamples());
    d.setTruncated(e.truncated() ? Boolean.TRUE : null);
    return d;
  }
}
