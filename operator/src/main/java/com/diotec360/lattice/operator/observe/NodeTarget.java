package com.diotec360.lattice.operator.observe;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** One node to probe: its resource, the lattice it belongs to and its HTTP base URL. */
public record NodeTarget(ResourceID id, String lattice, String baseUrl) {

  public String name() {
    return id.getName();
  }

  public String namespace() {
    return id.getNamespace().orElse("");
  }
}
