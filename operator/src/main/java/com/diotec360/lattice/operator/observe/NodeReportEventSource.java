package com.diotec360.lattice.operator.observe;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Connects the {@link NodeProber} to JOSDK: probes every LatticeNode in the operator's cache and,
 * when one node's report changes, wakes that node. Its lattice hears of the change too (the
 * lattice's controller listens to the prober) and wakes the members whose verdict it changed.
 */
public final class NodeReportEventSource extends AbstractEventSource<NodeReport, LatticeNode> {

  public static final String NAME = "node-reports";

  private final NodeProber prober;
  private final NodeAddressResolver resolver;
  private final ExternalMembers externals;
  private final ResourceCache<LatticeNode> nodes;
  private final DivergenceInspector inspector;

  public NodeReportEventSource(
      NodeProber prober,
      NodeAddressResolver resolver,
      ExternalMembers externals,
      ResourceCache<LatticeNode> nodes,
      DivergenceInspector inspector) {
    super(NodeReport.class, NAME);
    this.prober = prober;
    this.resolver = resolver;
    this.externals = externals;
    this.nodes = nodes;
    this.inspector = inspector;
  }

  @Override
  public void start() {
    super.start();
    inspector.onFound(this::wake);
    prober.start(this::targets, this::changed);
  }

  @Override
  public void stop() {
    prober.close();
    inspector.close();
    super.stop();
  }

  /** Evidence for one node is ready: its reconcile puts it in status (an external member's lattice hears of it). */
  private void wake(ResourceID node) {
    if (getEventHandler() != null && isRunning() && !NodeTarget.isExternal(node)) {
      getEventHandler().handleEvent(new Event(node));
    }
  }

  @Override
  public Set<NodeReport> getSecondaryResources(LatticeNode primary) {
    return prober.latest(ResourceID.fromResource(primary)).map(Set::of).orElse(Set.of());
  }

  /** Every LatticeNode to probe, then every lattice's external members. */
  private Collection<NodeTarget> targets() {
    List<NodeTarget> targets = new ArrayList<>(inCluster());
    targets.addAll(externals.targets());
    return targets;
  }

  private List<NodeTarget> inCluster() {
    return nodes
        .list()
        .filter(n -> n.getSpec() != null && n.getSpec().getLattice() != null)
        // A suspended node runs no pod: probing it would only announce an outage nobody has.
        .filter(n -> !n.getSpec().suspended())
        .map(
            n ->
                new NodeTarget(
                    ResourceID.fromResource(n),
                    n.getSpec().getLattice(),
                    resolver.baseUrl(n.getMetadata().getName(), n.getMetadata().getNamespace())))
        .toList();
  }

  private void changed(NodeTarget target) {
    if (getEventHandler() != null && isRunning() && !target.external()) {
      getEventHandler().handleEvent(new Event(target.id()));
    }
  }
}
