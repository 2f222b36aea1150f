package com.diotec360.lattice.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The LatticeNode CRD as the fabric8 generator wrote it at process-classes
 * (target/classes/META-INF/fabric8/), read from the test classpath.
 */
final class GeneratedCrd {

  static final String FILE_NAME = "latticenodes.lattice.diotec360.com-v1.yml";
  static final String RESOURCE = "META-INF/fabric8/" + FILE_NAME;
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GeneratedCrd() {}

  static String text() {
    try (InputStream in = GeneratedCrd.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the classpath: run ./mvnw -pl operator process-classes first");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** spec.versions[0].schema.openAPIV3Schema of the generated CRD. */
  static JsonNode openApiV3Schema() {
    try {
      JsonNode schema = YAML.readTree(text()).at("/spec/versions/0/schema/openAPIV3Schema");
      if (schema.isMissingNode()) {
        throw new IllegalStateException(RESOURCE + " has no spec.versions[0].schema.openAPIV3Schema");
      }
      return schema;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
