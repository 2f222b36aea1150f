package com.diotec360.lattice.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's alert rules evaluated by Prometheus' own rule engine: the PrometheusRule rendered by
 * Helm (helm-java) is turned into a Prometheus rules file and each promtool unit-test file under
 * {@code src/test/resources/promtool/} ({@code *-test.yaml}) is run with {@code promtool test
 * rules}. A failing file fails its test with promtool's output.
 *
 * <p>Rules files the test files may name in {@code rule_files}:
 *
 * <ul>
 *   <li>{@code rules-default.yaml}: the chart's default values with {@code prometheusRule.enabled};
 *   <li>{@code rules-selectors.yaml}: plus {@code promtool/values-selectors.yaml} (extraSelector and
 *       httpFallback.excludeSelector).
 * </ul>
 *
 * <p>promtool compares every annotation of a firing alert, so these files carry the alerts'
 * {@code summary} only (its label templating is checked that way); the long {@code description}
 * is dropped from them and checked by {@code promtool check rules} on the full rules.
 *
 * <p>promtool is Debian's {@code prometheus} package. Without it on PATH the tests are skipped,
 * unless {@code LATTICE_REQUIRE_PROMTOOL=1} (set by {@code .ci/run}) makes that a failure.
 */
class AlertRulesPromtoolTest {

  static final String REQUIRE_ENV = "LATTICE_REQUIRE_PROMTOOL";
  static final String INSTALL_HINT =
      "promtool is not on PATH, so the alert rules were not evaluated. Install it with"
          + " 'apt-get install -y --no-install-recommends prometheus' (Debian/Ubuntu; it also ships"
          + " in the Prometheus release tarballs) and run the tests again. Set "
          + REQUIRE_ENV + "=1 to make its absence a failure (CI does).";

  static final YAMLMapper YAML = new YAMLMapper();

  /** Rules file name -> values files for the render (besides prometheusRule.enabled). */
  static final Map<String, List<String>> RULES_FILES =
      Map.of(
          "rules-default.yaml", List.of(),
          "rules-selectors.yaml", List.of("values-selectors.yaml"));

  /** Rendered rules files and copies of the test files; kept after the run to read a failure. */
  static final Path work = Path.of("target", "promtool-alerts").toAbsolutePath();

  @BeforeAll
  static void renderRules() throws IOException {
    if (Files.exists(work)) {
      try (Stream<Path> old = Files.walk(work)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(work);
    for (var entry : RULES_FILES.entrySet()) {
      Path[] valuesFiles =
          entry.getValue().stream().map(AlertRulesPromtoolTest::resource).toArray(Path[]::new);
      ArrayNode groups = ruleGroups(HelmChart.OPERATOR.template(Map.of("prometheusRule.enabled", true), valuesFiles));
      write(work.resolve("full-" + entry.getKey()), groups);
      write(work.resolve(entry.getKey()), withoutDescriptions(groups.deepCopy()));
    }
    for (Path test : testFiles()) {
      Files.copy(test, work.resolve(test.getFileName()));
    }
  }

  @Test
  void renderedRulesPassPromtoolCheck() {
    Path promtool = promtool();
    for (String rules : RULES_FILES.keySet()) {
      run(promtool, "check", "rules", "full-" + rules);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("testFileNames")
  void alertsFireExactlyAsTheTestFileSays(String testFile) {
    run(promtool(), "test", "rules", testFile);
  }

  /** A rule no test shows firing could be unable to fire at all (a typo in a label matcher). */
  @Test
  void everyAlertIsShownFiringAndEveryTestReadsTheRenderedRules() throws IOException {
    Set<String> alerts = new TreeSet<>();
    ruleGroups(HelmChart.OPERATOR.template(Map.of("prometheusRule.enabled", true)))
        .forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
    Set<String> shownFiring = new TreeSet<>();
    for (Path file : testFiles()) {
      JsonNode test = YAML.readTree(file.toFile());
      assertThat(test.path("rule_files")).as(file.getFileName().toString()).isNotEmpty()
          .allSatisfy(r -> assertThat(RULES_FILES).containsKey(r.asText()));
      test.path("tests").forEach(t -> t.path("alert_rule_test").forEach(a -> {
        if (!a.path("exp_alerts").isEmpty()) {
          shownFiring.add(a.path("alertname").asText());
        }
      }));
    }
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
    assertThat(shownFiring).containsAll(alerts);
  }

  /** The spec.groups of the one PrometheusRule in a rendered chart. */
  static ArrayNode ruleGroups(String rendered) throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node != null && "PrometheusRule".equals(node.path("kind").asText())) {
        rules.add(node);
      }
    }
    assertThat(rules).as("PrometheusRule objects rendered").hasSize(1);
    return (ArrayNode) rules.get(0).path("spec").path("groups");
  }

  static ArrayNode withoutDescriptions(ArrayNode groups) {
    groups.forEach(g -> g.path("rules").forEach(r -> {
      if (r.path("annotations") instanceof ObjectNode annotations) {
        annotations.remove("description");
      }
    }));
    return groups;
  }

  static void write(Path file, ArrayNode groups) throws IOException {
    ObjectNode rules = YAML.createObjectNode();
    rules.set("groups", groups);
    YAML.writeValue(file.toFile(), rules);
  }

  /** Runs promtool in the work directory; fails with its output unless it exits 0. */
  static void run(Path promtool, String... args) {
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        fail(String.join(" ", args) + " exited " + exit + " (rules files and tests in " + work + "):\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** promtool from PATH; skips the test without it, or fails it when CI requires promtool. */
  static Path promtool() {
    Optional<Path> found = onPath("promtool");
    if (found.isEmpty()) {
      if ("1".equals(System.getenv(REQUIRE_ENV))) {
        fail(REQUIRE_ENV + "=1 but " + INSTALL_HINT);
      }
      Assumptions.abort(INSTALL_HINT);
    }
    return found.get();
  }

  static Optional<Path> onPath(String executable) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir).resolve(executable))
        .filter(Files::isRegularFile)
        .filter(Files::isExecutable)
        .findFirst();
  }

  static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(resource(""))) {
      return files.filter(f -> f.getFileName().toString().endsWith("-test.yaml")).sorted().toList();
    }
  }

  static Stream<String> testFileNames() throws IOException {
    return testFiles().stream().map(f -> f.getFileName().toString());
  }

  static Path resource(String name) {
    try {
      var url = AlertRulesPromtoolTest.class.getResource(name.isEmpty() ? "/promtool" : "/promtool/" + name);
      if (url == null) {
        throw new IllegalArgumentException("no test resource promtool/" + name);
      }
      return Path.of(url.toURI()).normalize();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
