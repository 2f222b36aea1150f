package com.diotec360.lattice.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A CRD as the fabric8 generator wrote it at process-classes (target/classes/META-INF/fabric8/),
 * read from the test classpath: the LatticeNode CRD unless another file is named.
 */
final class GeneratedCrd {

  static final String FILE_NAME = com.diotec360.lattice.operator.api.CustomResources.FILES.get(0);
  static final String LATTICE_FILE_NAME = com.diotec360.lattice.operator.api.CustomResources.FILES.get(1);
  static final String RESOURCE = "META-INF/fabric8/" + FILE_NAME;
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GeneratedCrd() {}

  static String text() {
    return text(FILE_NAME);
  }

  static String text(String fileName) {
    String resource = "META-INF/fabric8/" + fileName;
    try (InputStream in = GeneratedCrd.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the classpath: run ./mvnw -pl operator process-classes first");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** spec.versions[0].schema.openAPIV3Schema of the generated LatticeNode CRD. */
  static JsonNode openApiV3Schema() {
    return openApiV3Schema(FILE_NAME);
  }

  /** spec.versions[0].schema.openAPIV3Schema of a generated CRD. */
  static JsonNode openApiV3Schema(String fileName) {
    try {
      JsonNode schema = YAML.readTree(text(fileName)).at("/spec/versions/0/schema/openAPIV3Schema");
      if (schema.isMissingNode()) {
        throw new IllegalStateException(RESOURCE + " has no spec.versions[0].schema.openAPIV3Schema");
      }
      return schema;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
