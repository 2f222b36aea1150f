package com.diotec360.lattice.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void secretValuesAreReplacedAndRememberedForTheScrub() throws Exception {
    // "hunter22" is aHVudGVyMjI= in base64
    JsonNode secret = JSON.readTree("""
        {"kind":"Secret","metadata":{"name":"s","annotations":{
           "kubectl.kubernetes.io/last-applied-configuration":"{\\"data\\":{\\"p\\":\\"aHVudGVyMjI=\\"}}",
           "team":"core"},"managedFields":[{"manager":"kubectl"}]},
         "data":{"p":"aHVudGVyMjI=","short":"YQ=="},"stringData":{"q":"plain-text-value"}}""");
    Redactor redactor = new Redactor();
    JsonNode redacted = redactor.secret(secret);

    assertThat(redacted.at("/data/p").asText()).isEqualTo("REDACTED (8 bytes)");
    assertThat(redacted.at("/data/short").asText()).isEqualTo("REDACTED (1 bytes)");
    assertThat(redacted.has("stringData")).isFalse();
    assertThat(redacted.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText())
        .isEqualTo("REDACTED");
    assertThat(redacted.at("/metadata/annotations/team").asText()).isEqualTo("core");
    assertThat(redacted.at("/metadata/managedFields").isMissingNode()).isTrue();
    assertThat(redacted.toString()).doesNotContain("hunter22", "aHVudGVyMjI=", "plain-text-value");
    assertThat(secret.at("/data/p").asText()).as("the input is not changed").isEqualTo("aHVudGVyMjI=");

    assertThat(redactor.scrub("log: password=hunter22 b64=aHVudGVyMjI= other=plain-text-value ok"))
        .isEqualTo("log: password=REDACTED b64=REDACTED other=REDACTED ok");
    assertThat(redactor.scrub("a one-letter value like a is not scrubbed")).contains(" a ");
  }
}
