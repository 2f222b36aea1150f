package com.diotec360.lattice.operator.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One of the repository's Helm charts, rendered and linted by real Helm (helm-java, in the JVM). */
record HelmChart(String name) {

  static final HelmChart OPERATOR = new HelmChart("lattice-operator");
  static final HelmChart LATTICE = new HelmChart("lattice");
  static final String RELEASE_NAMESPACE = "lattice-system";
  /** helm template assumes v1.20 without this; the charts need 1.25 or newer. */
  static final String KUBE_VERSION = "v1.30.0";

  static Path repoRoot() {
    return Path.of(System.getProperty("lattice.repoRoot", "..")).toAbsolutePath().normalize();
  }

  Path dir() {
    return repoRoot().resolve("charts").resolve(name);
  }

  LintResult lintStrict() {
    return new Helm(dir()).lint().strict().call();
  }

  /**
   * {@code helm template} with the given {@code --set} values (keys in Helm's dotted syntax; a
   * list index such as {@code nodes[1].x} replaces the whole list, so use a values file for that).
   * Throws IllegalStateException with Helm's message on a schema or render error.
   */
  String template(Map<String, ?> values, Path... valuesFiles) {
    return template("test", RELEASE_NAMESPACE, values, valuesFiles);
  }

  /**
   * As {@link #template(Map, Path...)}, as release {@code release} in {@code namespace}: another
   * release's cluster-scoped objects (ClusterRoles, their bindings) have other names.
   */
  String template(String release, String namespace, Map<String, ?> values, Path... valuesFiles) {
    try {
      return command(release, namespace, values, valuesFiles).call();
    } catch (IllegalStateException e) {
      if (e.getMessage() != null && !e.getMessage().isBlank()) {
        throw e;
      }
      // helm-java 0.0.21 leaves a template error's message empty unless debug is on (and with
      // debug on, returns null for a schema error): ask again in debug mode for the message.
      try {
        command(release, namespace, values, valuesFiles).debug().call();
      } catch (IllegalStateException withMessage) {
        throw withMessage;
      }
      throw e;
    }
  }

  /** {@code helm template} with values given as YAML text. */
  String template(String valuesYaml) {
    try {
      Path file = Files.createTempFile("values-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, valuesYaml);
      return template(Map.of(), file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private TemplateCommand command(String release, String namespace, Map<String, ?> values, Path... valuesFiles) {
    TemplateCommand template =
        new Helm(dir())
            .template()
            .withName(release)
            .withNamespace(namespace)
            .withKubeVersion(KUBE_VERSION);
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    for (var entry : values.entrySet()) {
      template = template.set(entry.getKey(), entry.getValue());
    }
    return template;
  }

  /** Renders and parses every manifest into fabric8's typed model. */
  List<HasMetadata> render(Map<String, ?> values, Path... valuesFiles) {
    return parse(template(values, valuesFiles));
  }

  static List<HasMetadata> parse(String multiDocumentYaml) {
    return Arrays.stream(multiDocumentYaml.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#")))
        .map(doc -> (HasMetadata) Serialization.unmarshal(doc))
        .filter(Objects::nonNull)
        .toList();
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  Path file(String relative) {
    Path path = dir().resolve(relative);
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("no " + path);
    }
    return path;
  }
}
