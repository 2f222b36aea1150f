package com.diotec360.lattice.operator.observe;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * One node to probe: its id, the lattice it belongs to, its HTTP base URL, its name in the lattice
 * and whether it is an external member (a node the operator does not run, {@link
 * ExternalMembers}). An external member's id is {@link #externalId}: never a LatticeNode's.
 */
public record NodeTarget(ResourceID id, String lattice, String baseUrl, String member, boolean external) {

  private static final String EXTERNAL = "external:";

  /** A LatticeNode the operator runs. */
  public NodeTarget(ResourceID id, String lattice, String baseUrl) {
    this(id, lattice, baseUrl, id.getName(), false);
  }

  /** An external member of {@code lattice}. */
  public static NodeTarget external(String namespace, String lattice, String member, String url) {
    return new NodeTarget(externalId(namespace, lattice, member), lattice, url, member, true);
  }

  /** The prober's id of an external member: unique per lattice, never a LatticeNode's name. */
  public static ResourceID externalId(String namespace, String lattice, String member) {
    return new ResourceID(EXTERNAL + lattice + ":" + member, namespace);
  }

  /** True for the id of an external member. */
  public static boolean isExternal(ResourceID id) {
    return id.getName().startsWith(EXTERNAL);
  }

  /** The lattice of an external member's id. */
  public static String latticeOfExternal(ResourceID id) {
    String rest = id.getName().substring(EXTERNAL.length());
    return rest.substring(0, rest.indexOf(':'));
  }

  /** The node's name in its lattice. */
  public String name() {
    return member;
  }

  public String namespace() {
    return id.getNamespace().orElse("");
  }

  /** The metrics' {@code location} label: {@code cluster} or {@code external}. */
  public String location() {
    return external ? "external" : "cluster";
  }
}
