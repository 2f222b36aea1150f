package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a LatticeNode wake its reconcile: a new generation (a spec change), deletion,
 * or a change of the annotations that steer the operator (pause, restart). A status write, the
 * operator's own above all, wakes nothing. JOSDK's generation-aware filter would also drop the
 * annotation changes, since annotations do not bump the generation.
 */
public final class NodeChangeFilter implements OnUpdateFilter<LatticeNode> {

  @Override
  public boolean accept(LatticeNode updated, LatticeNode old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || (updated.isMarkedForDeletion() && !old.isMarkedForDeletion())
        || updated.paused() != old.paused()
        || !Objects.equals(updated.restartRequest(), old.restartRequest());
  }
}
