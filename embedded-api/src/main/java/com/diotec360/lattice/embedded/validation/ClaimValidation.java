package com.diotec360.lattice.embedded.validation;

import com.diotec360.lattice.embedded.admission.FieldCause;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/**
 * What a real API server (v1.36) refuses on a PersistentVolumeClaim update, checked by the
 * conformance suite: while the claim is not bound, any change of its spec, its size included
 * ("spec is immutable after creation except resources.requests and volumeAttributesClassName for
 * bound claims"); once bound, any change but the requested resources and the attributes class, and
 * a request below {@code status.capacity} ("field can not be less than status.capacity"). The
 * operator must show such a refusal in status; without this the embedded API took it silently.
 *
 * <p>The real server appends a diff of the two specs to the first message; this one does not.
 * Growing a bound claim is allowed here; a real server also asks the StorageClass (there is none).
 */
public final class ClaimValidation {

  private static final String IMMUTABLE = "Forbidden: spec is immutable after creation except resources.requests"
      + " and volumeAttributesClassName for bound claims";

  private ClaimValidation() {}

  public static List<FieldCause> validateUpdate(JsonNode claim, JsonNode stored) {
    if (stored == null || stored.isMissingNode()) {
      return List.of();
    }
    boolean bound = "Bound".equals(stored.path("status").path("phase").asText());
    if (!bound) {
      return claim.path("spec").equals(stored.path("spec"))
          ? List.of() : List.of(new FieldCause("FieldValueForbidden", IMMUTABLE, "spec"));
    }
    if (!withoutMutable(claim.path("spec")).equals(withoutMutable(stored.path("spec")))) {
      return List.of(new FieldCause("FieldValueForbidden", IMMUTABLE, "spec"));
    }
    JsonNode now = claim.path("spec").path("resources").path("requests").path("storage");
    JsonNode capacity = stored.path("status").path("capacity").path("storage");
    if (now.isTextual() && capacity.isTextual() && smaller(now.asText(), capacity.asText())) {
      return List.of(new FieldCause("FieldValueForbidden", "Forbidden: field can not be less than status.capacity",
          "spec.resources.requests.storage"));
    }
    return List.of();
  }

  /** A bound claim's spec without what may still change: the requests and the attributes class. */
  private static JsonNode withoutMutable(JsonNode spec) {
    if (!spec.isObject()) {
      return spec;
    }
    ObjectNode copy = spec.deepCopy();
    copy.remove("volumeAttributesClassName");
    if (copy.path("resources") instanceof ObjectNode resources) {
      resources.remove("requests");
    }
    return copy;
  }

  private static boolean smaller(String now, String before) {
    try {
      return Quantity.getAmountInBytes(new Quantity(now))
              .compareTo(Quantity.getAmountInBytes(new Quantity(before))) < 0;
    } catch (RuntimeException notAQuantity) {
      return false;
    }
  }
}
