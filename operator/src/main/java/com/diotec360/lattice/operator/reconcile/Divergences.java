package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.DivergenceStatus;
import com.diotec360.lattice.merkle.MerkleComparison.Evidence;

/** The evidence of a Merkle comparison as status. */
final class Divergences {

  private Divergences() {}

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
