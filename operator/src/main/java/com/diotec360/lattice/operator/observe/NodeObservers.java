package com.diotec360.lattice.operator.observe;

/**
 * What the operator knows of the running nodes, all gathered off the reconcile thread: the
 * prober's latest report of each node, where nodes are reached (in the cluster, and the external
 * members), and Merkle comparisons of a diverged node with another member.
 */
public record NodeObservers(
    NodeProber prober, NodeAddressResolver resolver, ExternalMembers externals, DivergenceInspector inspector) {}
