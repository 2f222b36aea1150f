package com.diotec360.lattice.operator.observe;

import com.diotec360.lattice.operator.api.ResourceNames;

/** In a cluster: the node's Service DNS name, {@code http://<node>.<namespace>.svc:8000}. */
public final class ServiceDnsResolver implements NodeAddressResolver {

  @Override
  public String baseUrl(String nodeName, String namespace) {
    return ResourceNames.nodeUrl(nodeName, namespace);
  }
}
