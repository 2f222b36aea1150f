package com.diotec360.lattice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcePathTest {

  @Test
  void customResourceStatusWithAQueryString() {
    ResourcePath p = ResourcePath.parse(
        "/apis/lattice.diotec360.com/v1alpha1/namespaces/ns/latticenodes/n1/status?fieldManager=op");

    assertThat(p).isEqualTo(new ResourcePath(
        "lattice.diotec360.com", "v1alpha1", "ns", "latticenodes", "n1", "status", "fieldManager=op"));
    assertThat(p.isStatus()).isTrue();
    assertThat(p.objectPath()).isEqualTo("/apis/lattice.diotec360.com/v1alpha1/namespaces/ns/latticenodes/n1");
    assertThat(p.statusPath()).isEqualTo(p.objectPath() + "/status");
  }

  @Test
  void coreAndClusterScopedPaths() {
    assertThat(ResourcePath.parse("/api/v1/namespaces/ns/services/api").groupVersion()).isEqualTo("v1");
    assertThat(ResourcePath.parse("/api/v1/namespaces/ns/services").name()).isEmpty();
    ResourcePath namespace = ResourcePath.parse("/api/v1/namespaces/ns");
    assertThat(namespace.plural()).isEqualTo("namespaces");
    assertThat(namespace.name()).isEqualTo("ns");
    assertThat(ResourcePath.parse("/api/v1/namespaces/ns/status").subresource()).isEqualTo("status");
    ResourcePath crd = ResourcePath.parse("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.y");
    assertThat(crd.namespace()).isEmpty();
    assertThat(crd.plural()).isEqualTo("customresourcedefinitions");
    assertThat(crd.objectPath()).isEqualTo("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.y");
  }
}
