package com.diotec360.lattice.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.admission.CrdValidator;
import com.diotec360.lattice.embedded.admission.StructuralSchema;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAPI part of the CRD (required, pattern, enum, min/max, maxItems, maxLength), checked
 * against sample manifests with the validator the embedded API server (lattice-embedded-api) also
 * admits LatticeNodes with.
 */
class CrdSchemaTest {

  /** x-kubernetes-* keywords StructuralSchema knows how to treat; others must be looked at. */
  private static final Set<String> UNDERSTOOD_EXTENSIONS =
      Set.of(
          "x-kubernetes-int-or-string",
          "x-kubernetes-validations",
          "x-kubernetes-preserve-unknown-fields",
          "x-kubernetes-list-type",
          "x-kubernetes-list-map-keys",
          "x-kubernetes-map-type");

  private static CrdValidator validator;

  @BeforeAll
  static void loadSchema() {
    validator = CrdValidator.forSchema(GeneratedCrd.openApiV3Schema());
  }

  static List<SampleManifest> validManifests() {
    return SampleManifest.valid();
  }

  static Stream<SampleManifest> schemaInvalidManifests() {
    return SampleManifest.invalid().stream().filter(m -> m.expectedSchemaError().isPresent());
  }

  static Stream<SampleManifest> celInvalidManifests() {
    return SampleManifest.invalid().stream().filter(m -> m.expectedRulePath().isPresent());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validManifests")
  void validManifestPassesTheSchema(SampleManifest manifest) {
    assertThat(messages(manifest.document())).as(manifest.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaInvalidManifests")
  void invalidManifestFailsOnTheOffendingPath(SampleManifest manifest) {
    String expected = manifest.expectedSchemaError().orElseThrow();
    String offendingPath = expected.substring(0, expected.indexOf(": "));

    List<String> messages = messages(manifest.document());

    assertThat(messages).as(manifest.name()).anyMatch(m -> m.startsWith(expected));
    // Only the rule the file is named for may be broken, or the sample proves nothing.
    assertThat(messages)
        .as("%s must break only the rule at %s", manifest.name(), offendingPath)
        .allMatch(m -> m.startsWith(offendingPath + ":") || m.startsWith(offendingPath + "."));
  }

  /** A sample meant for a CEL rule must get past the OpenAPI rules, or it tests nothing there. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("celInvalidManifests")
  void celSamplePassesTheSchema(SampleManifest manifest) {
    assertThat(messages(manifest.document())).as(manifest.name()).isEmpty();
  }

  @Test
  void everyInvalidManifestSaysWhichErrorItExpects() {
    assertThat(SampleManifest.invalid())
        .allSatisfy(
            m ->
                assertThat(m.expectedSchemaError().isPresent() ^ m.expectedRulePath().isPresent())
                    .as("%s needs exactly one '# expect-error:' or '# expect-rule:' line", m.name())
                    .isTrue());
  }

  @Test
  void everyKubernetesExtensionInTheCrdIsUnderstood() {
    assertThat(StructuralSchema.kubernetesExtensions(GeneratedCrd.openApiV3Schema()))
        .as("x-kubernetes-* keywords StructuralSchema does not translate")
        .isSubsetOf(UNDERSTOOD_EXTENSIONS);
  }

  private static List<String> messages(JsonNode document) {
    return validator.schemaMessages(document);
  }
}
