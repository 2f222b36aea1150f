package com.diotec360.lattice.operator.observe;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/** Read side of the prober's cache: the latest report per node. */
@FunctionalInterface
public interface NodeReports {

  Optional<NodeReport> latest(ResourceID node);
}
