package com.diotec360.lattice.operator.events;

import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.events.EventRecorder;
import com.diotec360.lattice.operator.events.Reason;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lattice-wide fields that moved from LatticeNode to Lattice ({@code spec.expectedMerkleRoot},
 * {@code spec.selfHeal}) keep working for one release: they are read while the Lattice does not set
 * them (see {@link LatticeSettings}). A node that sets one gets one Warning Event per spec
 * generation saying where the field lives now, and whether it is still read.
 */
public final class Deprecations {

  private final EventRecorder events;
  /** The message last told per node, so a generation is told once. */
  private final Map<ResourceID, String> told = new ConcurrentHashMap<>();

  public Deprecations(EventRecorder events) {
    this.events = events;
  }

  public void check(LatticeNode node, Lattice lattice) {
    List<String> set = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    var spec = lattice.getSpec();
    if (node.getSpec().getExpectedMerkleRoot() != null) {
      (spec != null && spec.getExpectedMerkleRoot() != null ? ignored : set).add("spec.expectedMerkleRoot");
    }
    if (node.getSpec().getSelfHeal() != null) {
      (spec != null && spec.getSelfHeal() != null ? ignored : set).add("spec.selfHeal");
    }
    ResourceID id = ResourceID.fromResource(node);
    if (set.isEmpty() && ignored.isEmpty()) {
      told.remove(id);
      return;
    }
    String name = lattice.getMetadata().getName();
    List<String> parts = new ArrayList<>();
    if (!set.isEmpty()) {
      parts.add(String.join(" and ", set) + " on a LatticeNode " + (set.size() == 1 ? "is" : "are")
          + " deprecated and read only while Lattice " + name + " does not set "
          + (set.size() == 1 ? "it" : "them"));
    }
    if (!ignored.isEmpty()) {
      parts.add(String.join(" and ", ignored) + " on this LatticeNode " + (ignored.size() == 1 ? "is" : "are")
          + " ignored: Lattice " + name + " sets " + (ignored.size() == 1 ? "it" : "them"));
    }
    String message = String.join("; ", parts) + ". Move them to the Lattice (kubectl edit lat " + name
        + ") and remove them here; see the README, 'Moving lattice-wide settings to the Lattice'";
    String key = node.getMetadata().getGeneration() + "|" + message;
    if (!key.equals(told.put(id, key))) {
      events.warning(node, Reason.DEPRECATED_FIELD, message);
    }
  }

  public void forget(ResourceID node) {
    told.remove(node);
  }
}
