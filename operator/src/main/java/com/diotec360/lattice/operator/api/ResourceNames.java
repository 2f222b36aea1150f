package com.diotec360.lattice.operator.api;

/** How the objects the operator owns are named. One place, so collisions can be reasoned about. */
public final class ResourceNames {

  public static final int HTTP_PORT = 8000;

  private ResourceNames() {}

  /** The node's Deployment and Service carry the node's own name. */
  public static String node(String nodeName) {
    return nodeName;
  }

  public static String configMap(String nodeName) {
    return nodeName + "-config";
  }

  /**
   * The per-node peer list of releases before the Lattice resource; the operator deletes it once
   * the node's Deployment no longer mounts it.
   */
  public static String legacyPeerList(String nodeName) {
    return nodeName + "-peer-list";
  }

  /**
   * The lattice's one peer list. Not {@code <lattice>-peer-list}: that was the per-node list of a
   * node named like its lattice, and a name ending in {@code -peers} is no node's ConfigMap.
   */
  public static String latticePeerList(String lattice) {
    return lattice + "-lattice-peers";
  }

  public static String stateClaim(String nodeName) {
    return nodeName + "-state";
  }

  public static String latticePeerService(String lattice) {
    return lattice + "-peers";
  }

  public static String latticeSecret(String lattice) {
    return lattice + "-lattice-secret";
  }

  /** The lattice's PodDisruptionBudget, shared by its members like the peer Service. */
  public static String disruptionBudget(String lattice) {
    return lattice + "-lattice-budget";
  }

  public static String aliasEndpointSlice(String alias) {
    return alias + "-a";
  }

  /** The node's stable in-cluster HTTP address: its Service's DNS name. */
  public static String nodeUrl(String nodeName, String namespace) {
    return "http://" + node(nodeName) + "." + namespace + ".svc:" + HTTP_PORT;
  }
}
