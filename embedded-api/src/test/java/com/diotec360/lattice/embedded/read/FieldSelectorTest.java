package com.diotec360.lattice.embedded.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Field selectors over the fields kube-apiserver selects by, and the paths they come in. */
class FieldSelectorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eventsAreSelectedByTheirInvolvedObjectAndType() throws Exception {
    JsonNode event = JSON.readTree("""
        {"metadata":{"name":"e","namespace":"ns"},"type":"Warning","reason":"Failed",
         "involvedObject":{"kind":"LatticeNode","name":"n1","namespace":"ns","uid":"u1"}}""");

    assertThat(FieldSelector.parse(
        "involvedObject.name=n1,involvedObject.namespace=ns,involvedObject.kind=LatticeNode,involvedObject.uid=u1",
        "", "events").matches(event)).isTrue();
    assertThat(FieldSelector.parse("involvedObject.name==n2", "", "events").matches(event)).isFalse();
    assertThat(FieldSelector.parse("type!=Normal,reason=Failed", "", "events").matches(event)).isTrue();
    assertThat(FieldSelector.parse("metadata.name=e", "", "events").matches(event)).isTrue();
  }

  @Test
  void otherFieldsAreRefusedWithTheRealServersWords() {
    assertThatThrownBy(() -> FieldSelector.parse("involvedObject.name=x", "lattice.diotec360.com", "latticenodes"))
        .hasMessage("field label not supported: involvedObject.name");
    assertThat(FieldSelector.parse("metadata.namespace=a", "apps", "deployments").isEmpty()).isFalse();
  }

  @Test
  void requestPathsAreTakenApart() {
    ApiRequest r = ApiRequest.parse(
        "/apis/lattice.diotec360.com/v1alpha1/namespaces/test/latticenodes?fieldSelector=metadata.name%3Dn1&watch=true");

    assertThat(r.group()).isEqualTo("lattice.diotec360.com");
    assertThat(r.namespace()).isEqualTo("test");
    assertThat(r.plural()).isEqualTo("latticenodes");
    assertThat(r.isList()).isTrue();
    assertThat(r.flag("watch")).isTrue();
    assertThat(r.param("fieldSelector")).isEqualTo("metadata.name=n1");
    assertThat(r.without("fieldSelector", "watch")).isEqualTo("/apis/lattice.diotec360.com/v1alpha1/namespaces/test/latticenodes");
    assertThat(ApiRequest.parse("/api/v1/namespaces/test").plural()).isEqualTo("namespaces");
  }
}
