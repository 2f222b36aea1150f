package com.diotec360.lattice.embedded;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads CustomResourceDefinitions from YAML (one or many documents) for {@link EmbeddedApiServer}. */
public final class Crds {

  private Crds() {}

  /** Every CustomResourceDefinition in a YAML stream; other kinds are skipped. */
  public static List<CustomResourceDefinition> fromYaml(InputStream yaml) {
    Object parsed = Serialization.unmarshal(yaml);
    List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
    return items.stream()
        .filter(CustomResourceDefinition.class::isInstance)
        .map(CustomResourceDefinition.class::cast)
        .toList();
  }

  /** The CRDs of a YAML file. */
  public static List<CustomResourceDefinition> fromFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return fromYaml(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The CRDs of a classpath resource (e.g. {@code /META-INF/fabric8/<plural>.<group>-v1.yml}, where
   * the fabric8 CRD generator writes them); a clear error when the resource is missing.
   */
  /** Every CRD of these classpath resources, in order. */
  public static java.util.List<CustomResourceDefinition> fromClasspath(java.util.List<String> resources) {
    return resources.stream().flatMap(r -> java.util.Arrays.stream(fromClasspath(r))).toList();
  }

  public static CustomResourceDefinition[] fromClasspath(String resource) {
    String absolute = resource.startsWith("/") ? resource : "/" + resource;
    try (InputStream in = Crds.class.getResourceAsStream(absolute)) {
      if (in == null) {
        throw new IllegalStateException(
            "the CRD " + absolute + " is not on the classpath: build the module that generates it"
                + " (./mvnw install)");
      }
      return fromYaml(in).toArray(CustomResourceDefinition[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
