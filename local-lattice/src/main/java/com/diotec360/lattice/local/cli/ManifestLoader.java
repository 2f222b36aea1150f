package com.diotec360.lattice.local.cli;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a manifest and applies it (create, or update when it exists). Before anything is sent it
 * checks what the embedded API cannot (it has no schema validation): the YAML parses, every object
 * has a kind and a name, and every LatticeNode has the right apiVersion, only known spec fields and
 * the required spec.lattice and spec.role. Every problem is reported at once.
 */
public final class ManifestLoader {

  /** The manifest cannot be applied; the message lists every problem. */
  public static final class BadManifestException extends Exception {
    public BadManifestException(String message) {
      super(message);
    }
  }

  private static final String LATTICE_API_VERSION = LatticeNode.GROUP + "/" + LatticeNode.VERSION;
  private static final ObjectMapper STRICT =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private final KubernetesClient client;
  private final String defaultNamespace;

  public ManifestLoader(KubernetesClient client, String defaultNamespace) {
    this.client = client;
    this.defaultNamespace = defaultNamespace;
  }

  /** Reads and checks a manifest file. */
  public List<HasMetadata> read(Path file) throws BadManifestException {
    if (!Files.isRegularFile(file)) {
      throw new BadManifestException(
          "manifest " + file + " does not exist: give the path of a YAML file, e.g. examples/dual-node.yaml");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new BadManifestException("cannot read manifest " + file + ": " + e.getMessage());
    }
  }

  public List<HasMetadata> read(InputStream in, String source) throws BadManifestException {
    List<HasMetadata> items;
    try {
      items = client.load(in).items();
    } catch (RuntimeException e) { // the YAML parser's own exceptions as well as the client's
      throw new BadManifestException(
          source + " is not a valid Kubernetes manifest: " + rootMessage(e)
              + " (expected YAML documents with apiVersion, kind, metadata.name)");
    }
    items = items == null ? List.of() : items.stream().filter(i -> i != null).toList();
    if (items.isEmpty()) {
      throw new BadManifestException(source + " contains no objects");
    }
    List<String> problems = new ArrayList<>();
    List<HasMetadata> checked = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      HasMetadata item = items.get(i);
      String where = source + " object " + (i + 1);
      if (item.getKind() == null || item.getApiVersion() == null) {
        problems.add(where + ": apiVersion and kind are required");
        continue;
      }
      if (item.getMetadata() == null || item.getMetadata().getName() == null) {
        problems.add(where + " (" + item.getKind() + "): metadata.name is required");
        continue;
      }
      where = source + " " + item.getKind() + "/" + item.getMetadata().getName();
      if (item.getMetadata().getNamespace() == null) {
        item.getMetadata().setNamespace(defaultNamespace);
      }
      if (HasMetadata.getKind(LatticeNode.class).equals(item.getKind())) {
        if (!LATTICE_API_VERSION.equals(item.getApiVersion())) {
          problems.add(where + ": apiVersion must be " + LATTICE_API_VERSION + ", not " + item.getApiVersion());
          continue;
        }
        checkLatticeNode(item, where, problems);
      }
      checked.add(item);
    }
    if (!problems.isEmpty()) {
      throw new BadManifestException(String.join("\n", problems));
    }
    return checked;
  }

  private static void checkLatticeNode(HasMetadata item, String where, List<String> problems) {
    Object spec =
        item instanceof GenericKubernetesResource g
            ? g.getAdditionalProperties().get("spec")
            : ((LatticeNode) item).getSpec();
    if (spec == null) {
      problems.add(where + ": spec is required (at least spec.lattice and spec.role)");
      return;
    }
    LatticeNodeSpec parsed;
    try {
      parsed = STRICT.convertValue(Serialization.jsonMapper().convertValue(spec, Map.class), LatticeNodeSpec.class);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof UnrecognizedPropertyException u) {
        problems.add(where + ": unknown field spec." + path(u) + " (check the spelling; see kubectl explain latticenode.spec)");
      } else {
        problems.add(where + ": spec is not valid: " + rootMessage(e));
      }
      return;
    }
    if (parsed.getLattice() == null || parsed.getLattice().isBlank()) {
      problems.add(where + ": spec.lattice is required (the lattice this node belongs to, e.g. diotec360)");
    }
    if (parsed.getRole() == null || parsed.getRole().isBlank()) {
      problems.add(where + ": spec.role is required (e.g. genesis-primary)");
    }
    String name = item.getMetadata().getName();
    if (!name.matches(LatticeNodeSpec.DNS_1035_LABEL) || name.length() > 57) {
      problems.add(where + ": metadata.name must be a DNS-1035 label of at most 57 characters");
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  /** Creates each object, or updates it when it exists. */
  public List<HasMetadata> apply(List<HasMetadata> items) {
    List<HasMetadata> applied = new ArrayList<>();
    for (HasMetadata item : items) {
      applied.add(client.resource(item).createOr(NonDeletingOperation::update));
    }
    return applied;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }
}
