package com.diotec360.lattice.operator.observe;

/** Where the operator reaches a node's HTTP API. */
@FunctionalInterface
public interface NodeAddressResolver {

  /** The node's HTTP base URL, without a trailing slash. */
  String baseUrl(String nodeName, String namespace);
}
