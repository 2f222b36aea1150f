package com.diotec360.lattice.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A LatticeNode manifest under src/test/resources/manifests/{valid,invalid}/. An invalid one says
 * in its header comment what must reject it, in one of two forms:
 *
 * <pre>
 * # expect-error: $.spec.sync.p2p.port: must have a maximum value of 65535   (OpenAPI schema)
 * # expect-rule: $.spec.sync.p2p.port: p2p.port must differ                   (CEL rule: path, message)
 * </pre>
 */
record SampleManifest(String name, JsonNode document, String header) {

  private static final String EXPECT_ERROR = "# expect-error: ";
  private static final String EXPECT_RULE = "# expect-rule: ";

  static List<SampleManifest> valid() {
    return load("manifests/valid");
  }

  static List<SampleManifest> invalid() {
    return load("manifests/invalid");
  }

  /** The schema error message this manifest must produce, when it breaks an OpenAPI rule. */
  Optional<String> expectedSchemaError() {
    return headerValue(EXPECT_ERROR);
  }

  /** The path of the CEL rule this manifest must break, when it breaks one. */
  Optional<String> expectedRulePath() {
    return headerValue(EXPECT_RULE).map(v -> v.substring(0, v.indexOf(": ")));
  }

  /** The start of the message of the CEL rule this manifest must break. */
  Optional<String> expectedRuleMessage() {
    return headerValue(EXPECT_RULE).map(v -> v.substring(v.indexOf(": ") + 2));
  }

  @Override
  public String toString() {
    return name;
  }

  private Optional<String> headerValue(String prefix) {
    return header.lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).strip())
        .findFirst();
  }

  private static List<SampleManifest> load(String directory) {
    URL url = SampleManifest.class.getClassLoader().getResource(directory);
    if (url == null) {
      throw new IllegalStateException(directory + " is not on the test classpath");
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      List<SampleManifest> manifests =
          files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(SampleManifest::read).toList();
      if (manifests.isEmpty()) {
        throw new IllegalStateException("no *.yaml manifests in " + directory);
      }
      return manifests;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SampleManifest read(Path file) {
    try {
      String text = Files.readString(file);
      String header =
          String.join("\n", text.lines().takeWhile(line -> line.startsWith("#")).toList());
      return new SampleManifest(
          file.getFileName().toString(), GeneratedCrd.YAML.readTree(text), header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
