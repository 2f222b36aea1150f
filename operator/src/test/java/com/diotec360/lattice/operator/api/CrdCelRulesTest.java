package com.diotec360.lattice.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.admission.CelRuleEvaluator;
import com.diotec360.lattice.embedded.admission.CrdValidationRule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cel.common.CelValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CEL rules of the CRD (x-kubernetes-validations), compiled and evaluated with cel-java against
 * the sample manifests, with the evaluator the embedded API server (lattice-embedded-api) runs them with.
 */
class CrdCelRulesTest {

  private static final List<CrdValidationRule> RULES =
      CrdValidationRule.collect(GeneratedCrd.openApiV3Schema());

  static List<SampleManifest> validManifests() {
    return SampleManifest.valid();
  }

  static Stream<SampleManifest> celInvalidManifests() {
    return SampleManifest.invalid().stream().filter(m -> m.expectedRulePath().isPresent());
  }

  @Test
  void everyRuleCompilesAndExplainsItself() {
    List<String> problems = new ArrayList<>();
    for (CrdValidationRule rule : RULES) {
      try {
        CelRuleEvaluator.compile(rule.rule());
      } catch (CelValidationException e) {
        problems.add(rule + "\n    " + e.getMessage());
      }
      if (rule.message().isBlank()) {
        problems.add(rule + "\n    has no message: the user would only see the rule");
      }
    }
    assertThat(RULES).as("rules found in the CRD").isNotEmpty();
    assertThat(problems).as("rules that do not compile or lack a message").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validManifests")
  void everyRuleHoldsOnValidManifest(SampleManifest manifest) {
    // Transition rules see an unchanged object here: an update that changes nothing.
    assertThat(brokenRules(manifest.document())).as(manifest.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("celInvalidManifests")
  void invalidManifestBreaksOnlyTheExpectedRule(SampleManifest manifest) {
    List<CrdValidationRule> broken = brokenRules(manifest.document());

    assertThat(broken).as(manifest.name()).hasSize(1);
    assertThat(broken.get(0).path()).isEqualTo(manifest.expectedRulePath().orElseThrow());
    assertThat(broken.get(0).message()).startsWith(manifest.expectedRuleMessage().orElseThrow());
  }

  @Test
  void latticeCannotChangeOnUpdate() {
    CrdValidationRule immutable = ruleAt("$.spec.lattice");
    JsonNode genesis = TextNode.valueOf("genesis");

    assertThat(immutable.isTransitionRule()).isTrue();
    assertThat(CelRuleEvaluator.holds(immutable, genesis, genesis)).isTrue();
    assertThat(CelRuleEvaluator.holds(immutable, TextNode.valueOf("triangle"), genesis))
        .as(immutable.message())
        .isFalse();
  }

  @Test
  void storageClassCannotChangeBeSetOrRemovedOnUpdate() throws Exception {
    CrdValidationRule same = ruleAt("$.spec.storage.storageClassName");
    JsonNode fast = TextNode.valueOf("fast");
    assertThat(CelRuleEvaluator.holds(same, fast, fast)).isTrue();
    assertThat(CelRuleEvaluator.holds(same, TextNode.valueOf("slow"), fast)).isFalse();

    CrdValidationRule presence = ruleAt("$.spec.storage");
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper();
    JsonNode withClass = yaml.readTree("{\"size\":\"1Gi\",\"storageClassName\":\"fast\"}");
    JsonNode withoutClass = yaml.readTree("{\"size\":\"2Gi\"}");
    assertThat(CelRuleEvaluator.holds(presence, withoutClass, withoutClass)).as("resize").isTrue();
    assertThat(CelRuleEvaluator.holds(presence, withoutClass, withClass)).as(presence.message()).isFalse();
    assertThat(CelRuleEvaluator.holds(presence, withClass, withoutClass)).as(presence.message()).isFalse();
  }

  /** A rule no sample breaks is a rule nobody has seen fail: it may not say what it means. */
  @Test
  void everyRuleIsBrokenBySomeSample() {
    Set<CrdValidationRule> broken = new HashSet<>();
    celInvalidManifests().forEach(m -> broken.addAll(brokenRules(m.document())));
    RULES.stream().filter(CrdValidationRule::isTransitionRule).forEach(broken::add);

    assertThat(RULES).as("rules with no sample under manifests/invalid/").isSubsetOf(broken);
  }

  /** Rules that fail somewhere in the document, evaluated where the API server would. */
  private static List<CrdValidationRule> brokenRules(JsonNode document) {
    List<CrdValidationRule> broken = new ArrayList<>();
    for (CrdValidationRule rule : RULES) {
      for (JsonNode self : rule.select(document)) {
        JsonNode oldSelf = rule.isTransitionRule() ? self : null;
        if (!CelRuleEvaluator.holds(rule, self, oldSelf)) {
          broken.add(rule);
          break;
        }
      }
    }
    return broken;
  }

  private static CrdValidationRule ruleAt(String path) {
    return RULES.stream()
        .filter(rule -> rule.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no x-kubernetes-validations rule at " + path));
  }
}
