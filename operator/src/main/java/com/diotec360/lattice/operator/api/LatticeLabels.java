package com.diotec360.lattice.operator.api;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels the operator puts on what it owns, and the selectors built from them. */
public final class LatticeLabels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LATTICE = "lattice.diotec360.com/lattice";
  public static final String NODE = "lattice.diotec360.com/node";

  public static final String MANAGER = "lattice-operator";
  public static final String APP = "lattice-node";

  /** Component values; each owned kind+component has its own informer (equality selectors). */
  public static final String COMPONENT_NODE = "node";
  /** The per-node peer lists of releases before the Lattice resource (deleted when unmounted). */
  public static final String COMPONENT_PEER_LIST = "peer-list";
  public static final String COMPONENT_LATTICE_PEER_LIST = "lattice-peer-list";
  public static final String COMPONENT_DNS_ALIAS = "dns-alias";
  public static final String COMPONENT_LATTICE_PEERS = "lattice-peers";
  public static final String COMPONENT_LATTICE_SECRET = "lattice-secret";
  public static final String COMPONENT_LATTICE_BUDGET = "lattice-budget";

  public static final String SELECT_NODE_OBJECTS =
      MANAGED_BY + "=" + MANAGER + "," + COMPONENT + "=" + COMPONENT_NODE;
  public static final String SELECT_PEER_LISTS =
      MANAGED_BY + "=" + MANAGER + "," + COMPONENT + "=" + COMPONENT_PEER_LIST;
  public static final String SELECT_LATTICE_PEER_LISTS =
      MANAGED_BY + "=" + MANAGER + "," + COMPONENT + "=" + COMPONENT_LATTICE_PEER_LIST;
  public static final String SELECT_DNS_ALIASES =
      MANAGED_BY + "=" + MANAGER + "," + COMPONENT + "=" + COMPONENT_DNS_ALIAS;
  public static final String SELECT_LATTICE_PEERS =
      MANAGED_BY + "=" + MANAGER + "," + COMPONENT + "=" + COMPONENT_LATTICE_PEERS;
  public static final String SELECT_LATTICE_SECRETS =
      MANAGED_BY + "=" + MANAGER + "," + COMPONENT + "=" + COMPONENT_LATTICE_SECRET;

  public static final String SELECT_LATTICE_BUDGETS =
      MANAGED_BY + "=" + MANAGER + "," + COMPONENT + "=" + COMPONENT_LATTICE_BUDGET;

  private LatticeLabels() {}

  /** Labels of an object that belongs to one node. */
  public static Map<String, String> forNode(LatticeNode node, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP);
    labels.put(INSTANCE, node.getMetadata().getName());
    labels.put(COMPONENT, component);
    labels.put(PART_OF, node.getSpec().getLattice());
    labels.put(MANAGED_BY, MANAGER);
    labels.put(LATTICE, node.getSpec().getLattice());
    labels.put(NODE, node.getMetadata().getName());
    return labels;
  }

  /** Labels of an object shared by all members of a lattice. */
  public static Map<String, String> forLattice(String lattice, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP);
    labels.put(INSTANCE, lattice);
    labels.put(COMPONENT, component);
    labels.put(PART_OF, lattice);
    labels.put(MANAGED_BY, MANAGER);
    labels.put(LATTICE, lattice);
    return labels;
  }

  /** The pod selector of one node. */
  public static Map<String, String> selectNode(LatticeNode node) {
    return Map.of(NODE, node.getMetadata().getName());
  }

  /** The node pods of every member of a lattice (the disruption budget's selector). */
  public static Map<String, String> selectLatticePods(String lattice) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LATTICE, lattice);
    labels.put(COMPONENT, COMPONENT_NODE);
    return labels;
  }

  /** The pod selector of every member of a lattice. */
  public static Map<String, String> selectLattice(String lattice) {
    return Map.of(LATTICE, lattice);
  }

}
