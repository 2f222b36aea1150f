package com.diotec360.lattice.embedded.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Unknown and duplicate fields as the API server's strict decoding names them. */
class UnknownFieldsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CRD_SCHEMA = """
      {"type":"object","properties":{
        "spec":{"type":"object","properties":{
          "sync":{"type":"object","properties":{"mode":{"type":"string"}}},
          "env":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
          "labels":{"type":"object","additionalProperties":{"type":"string"}},
          "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
        "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}""";

  private static KindSchema custom() throws Exception {
    return KindSchema.custom("lattice.diotec360.com", "v1alpha1", "LatticeNode", JSON.readTree(CRD_SCHEMA));
  }

  @Test
  void unknownFieldsOfACustomResourceArePrunedAndNamedByPath() throws Exception {
    JsonNode object = JSON.readTree("""
        {"apiVersion":"x/v1","kind":"LatticeNode","metadata":{"name":"a","labelz":{}},
         "spec":{"sync":{"mode":"auto","peerlesTimeoutSeconds":5},"env":[{"name":"A"},{"name":"B","valu":"x"}],
                 "labels":{"any":"thing"},"free":{"anything":{"goes":1}},"foo":1},
         "extra":true}""");
    assertThat(UnknownFields.prune(object, custom())).containsExactly(
        "metadata.labelz", "spec.sync.peerlesTimeoutSeconds", "spec.env[1].valu", "spec.foo", "extra");
    assertThat(object.toString()).doesNotContain("peerles", "valu", "labelz", "extra", "\"foo\"")
        .contains("\"anything\":{\"goes\":1}", "\"any\":\"thing\"");
  }

  @Test
  void aKnownObjectHasNothingUnknown() throws Exception {
    JsonNode object = JSON.readTree("""
        {"apiVersion":"x/v1","kind":"LatticeNode","metadata":{"name":"a","labels":{"x":"y"},
          "ownerReferences":[{"apiVersion":"v1","kind":"K","name":"n","uid":"u"}]},
         "spec":{"sync":{"mode":"auto"}},"status":{"phase":"Running"}}""");
    assertThat(UnknownFields.prune(object, custom())).isEmpty();
  }

  @Test
  void builtInKindsFollowTheirModel() throws Exception {
    KindSchema deployment = BuiltInKinds.schema("apps/v1", "Deployment").orElseThrow();
    JsonNode object = JSON.readTree("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"a":"b"}},"strategy":{"type":"RollingUpdate",
           "rollingUpdate":{"maxSurge":"25%"}},"template":{"metadata":{"labels":{"a":"b"}},
           "spec":{"containers":[{"name":"c","image":"i","imagePulPolicy":"Always",
             "resources":{"limits":{"cpu":"1"}},"ports":[{"containerPort":80}]}]}}},
         "status":{"replicas":1}}""");
    assertThat(UnknownFields.prune(object, deployment))
        .containsExactly("spec.template.spec.containers[0].imagePulPolicy");
    assertThat(BuiltInKinds.schema("batch/v1", "Job")).isEmpty();
  }

  @Test
  void duplicatesAreFoundAtEveryDepth() {
    byte[] body = """
        {"spec":{"role":"a","role":"b","env":[{"name":"x","name":"y"}],"sync":{}},"spec":{},"kind":"K"}"""
        .getBytes(StandardCharsets.UTF_8);
    assertThat(UnknownFields.duplicates(body)).containsExactly("spec.role", "spec.env[0].name", "spec");
  }

  @Test
  void strictErrorsListDuplicatesThenUnknownFields() throws Exception {
    String text = """
        {"apiVersion":"x/v1","kind":"LatticeNode","metadata":{"name":"a"},"spec":{"foo":1,"sync":{},"sync":{}}}""";
    JsonNode object = JSON.readTree(text);
    assertThat(UnknownFields.pruneAndReport(text.getBytes(StandardCharsets.UTF_8), object, custom()))
        .containsExactly("duplicate field \"spec.sync\"", "unknown field \"spec.foo\"");
  }
}
