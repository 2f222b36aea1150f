package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Is the live object already what the operator wants? On a real API server the stored object is
 * never equal to the one the operator built: the server fills in defaults the operator does not
 * set ({@code terminationMessagePath}, {@code dnsPolicy}, probe {@code successThreshold},
 * {@code clusterIPs}, ...) and drops empty collections. Comparing field by field rewrites every
 * object on every reconcile. Two checks instead:
 *
 * <ol>
 *   <li><b>Every field the operator sets is there, with the same value</b> ({@link #covers}):
 *       objects may hold more fields (defaults, other controllers' additions); a list must have
 *       the same length and each element must cover the desired one; an empty collection equals
 *       an absent one; quantities compare by value ({@code 0.5} = {@code 500m}). This catches
 *       someone else changing or removing a field the operator owns.
 *   <li><b>The operator wanted the same thing last time</b>: the hash of the desired object is
 *       stamped on it as an annotation when written ({@link #stamped}); a different hash now means
 *       the operator stopped setting a field, which check 1 cannot see.
 * </ol>
 *
 * Upgrading the operator to a version that builds objects differently rewrites each object once.
 */
public final class DesiredState {

  public static final String HASH_ANNOTATION = LatticeNode.GROUP + "/desired-hash";

  /** Top-level fields that are not the object's content. */
  private static final Set<String> NOT_CONTENT = Set.of("apiVersion", "kind", "metadata", "status");

  private DesiredState() {}

  /** The desired object with the hash of its content stamped on it. */
  public static <R extends HasMetadata> R stamped(R desired) {
    String hash = hash(desired);
    Map<String, String> annotations =
        new HashMap<>(Objects.requireNonNullElse(desired.getMetadata().getAnnotations(), Map.of()));
    annotations.put(HASH_ANNOTATION, hash);
    desired.getMetadata().setAnnotations(annotations);
    return desired;
  }

  /** True when {@code actual} needs no write to be {@code desired} (see the class comment). */
  public static boolean matches(HasMetadata actual, HasMetadata desired) {
    return difference(actual, desired).isEmpty();
  }

  /**
   * Why {@code actual} needs a write, as the path of the first field that differs (for the log),
   * or empty when it needs none.
   */
  public static Optional<String> difference(HasMetadata actual, HasMetadata desired) {
    String stampedHash = annotations(actual).get(HASH_ANNOTATION);
    if (!hash(desired).equals(stampedHash)) {
      return Optional.of("metadata.annotations." + HASH_ANNOTATION);
    }
    JsonNode want = Serialization.jsonMapper().valueToTree(desired);
    JsonNode have = Serialization.jsonMapper().valueToTree(actual);
    for (String part : List.of("labels", "annotations")) {
      Optional<String> d =
          difference(have.path("metadata").path(part), want.path("metadata").path(part), "metadata." + part);
      if (d.isPresent()) {
        return d;
      }
    }
    for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!NOT_CONTENT.contains(field)) {
        Optional<String> d = difference(have.path(field), want.get(field), field);
        if (d.isPresent()) {
          return d;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Check 1 alone: every field the operator sets in {@code desired} (metadata labels and
   * annotations, and the content) is in {@code actual} with an equal value. For a desired object
   * that is partly copied from the live one, whose stamp cannot match.
   */
  public static boolean coversObject(HasMetadata actual, HasMetadata desired) {
    JsonNode want = Serialization.jsonMapper().valueToTree(desired);
    JsonNode have = Serialization.jsonMapper().valueToTree(actual);
    ObjectNode wanted = want.deepCopy();
    ((ObjectNode) wanted.path("metadata")).retain("labels", "annotations");
    if (wanted.path("metadata").path("annotations").isObject()) {
      ((ObjectNode) wanted.path("metadata").path("annotations")).remove(HASH_ANNOTATION);
    }
    wanted.remove(List.of("apiVersion", "kind", "status"));
    return difference(have, wanted, "").isEmpty();
  }

  /** True when every field of {@code desired} is in {@code actual} with an equal value. */
  public static boolean coversContent(Object actual, Object desired) {
    JsonNode have = Serialization.jsonMapper().valueToTree(actual);
    JsonNode want = Serialization.jsonMapper().valueToTree(desired);
    return difference(have, want, "").isEmpty();
  }

  /** A short hash (16 hex characters) of any model object, map keys sorted. */
  public static String hashOf(Object value) {
    return digest(sorted(Serialization.jsonMapper().valueToTree(value)));
  }

  /** True when every field of {@code desired} is in {@code actual} with an equal value. */
  static boolean covers(JsonNode actual, JsonNode desired) {
    return difference(actual, desired, "").isEmpty();
  }

  private static Optional<String> difference(JsonNode actual, JsonNode desired, String path) {
    if (desired == null || desired.isNull() || desired.isMissingNode()) {
      return Optional.empty();
    }
    if (desired.isObject()) {
      if (desired.isEmpty()) {
        return Optional.empty();
      }
      if (!actual.isObject() && !actual.isMissingNode() && !actual.isNull()) {
        return Optional.of(path);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        Optional<String> d =
            difference(actual.path(field.getKey()), field.getValue(), path + "." + field.getKey());
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    if (desired.isArray()) {
      if (actual.isMissingNode() || actual.isNull()) {
        return desired.isEmpty() ? Optional.empty() : Optional.of(path);
      }
      if (!actual.isArray() || actual.size() != desired.size()) {
        return Optional.of(path);
      }
      for (int i = 0; i < desired.size(); i++) {
        Optional<String> d = difference(actual.get(i), desired.get(i), path + "[" + i + "]");
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    return sameScalar(actual, desired) ? Optional.empty() : Optional.of(path);
  }

  private static boolean sameScalar(JsonNode actual, JsonNode desired) {
    if (actual.isMissingNode() || actual.isNull() || actual.isContainerNode()) {
      return false;
    }
    if (desired.isNumber() && actual.isNumber()) {
      return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    if (desired.asText().equals(actual.asText())) {
      return true;
    }
    return desired.isTextual() && actual.isTextual() && sameQuantity(actual.asText(), desired.asText());
  }

  private static boolean sameQuantity(String a, String b) {
    try {
      return Quantity.getAmountInBytes(new Quantity(a))
              .compareTo(Quantity.getAmountInBytes(new Quantity(b)))
          == 0;
    } catch (RuntimeException notAQuantity) {
      return false;
    }
  }

  /** SHA-256 of the desired object's labels, annotations and content, keys sorted; 16 hex chars. */
  static String hash(HasMetadata desired) {
    JsonNode tree = Serialization.jsonMapper().valueToTree(desired);
    ObjectNode content = JsonNodeFactory.instance.objectNode();
    JsonNode labels = tree.path("metadata").path("labels");
    if (labels.isObject() && !labels.isEmpty()) {
      content.set("labels", labels);
    }
    JsonNode annotations = tree.path("metadata").path("annotations");
    if (annotations.isObject()) {
      ObjectNode copy = annotations.deepCopy();
      copy.remove(HASH_ANNOTATION);
      if (!copy.isEmpty()) {
        content.set("annotations", copy);
      }
    }
    for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!NOT_CONTENT.contains(field)) {
        content.set(field, tree.get(field));
      }
    }
    return digest(sorted(content));
  }

  private static String digest(JsonNode tree) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Serialization.jsonMapper().writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash a desired object", e);
    }
  }

  /** The same tree with every object's keys in order: a map's order must not change the hash. */
  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(e -> out.add(sorted(e)));
      return out;
    }
    return node;
  }

  private static Map<String, String> annotations(HasMetadata resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getAnnotations(), Map.of());
  }
}
