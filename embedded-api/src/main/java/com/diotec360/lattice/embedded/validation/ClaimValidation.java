package com.diotec360.lattice.embedded.validation;

import com.diotec360.lattice.embedded.admission.FieldCause;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * What a real API server refuses on a PersistentVolumeClaim update: a smaller storage request
 * ("field can not be less than previous value") and any other change of the spec (immutable
 * after creation but for the requested resources). The operator must show such a refusal in
 * status; without this the embedded API took a shrink silently.
 */
public final class ClaimValidation {

  private ClaimValidation() {}

  public static List<FieldCause> validateUpdate(JsonNode claim, JsonNode stored) {
    List<FieldCause> causes = new ArrayList<>();
    if (stored == null || stored.isMissingNode()) {
      return causes;
    }
    JsonNode now = claim.path("spec").path("resources").path("requests").path("storage");
    JsonNode before = stored.path("spec").path("resources").path("requests").path("storage");
    if (now.isTextual() && before.isTextual() && smaller(now.asText(), before.asText())) {
      causes.add(new FieldCause("FieldValueForbidden", "Forbidden: field can not be less than previous value",
          "spec.resources.requests.storage"));
    }
    for (String field : List.of("storageClassName", "accessModes", "volumeName", "volumeMode", "selector")) {
      JsonNode a = claim.path("spec").path(field);
      JsonNode b = stored.path("spec").path(field);
      if (!b.isMissingNode() && !a.equals(b)) {
        causes.add(new FieldCause("FieldValueForbidden",
            "Forbidden: spec is immutable after creation except resources.requests and"
                + " volumeAttributesClassName for bound claims",
            "spec"));
        break;
      }
    }
    return causes;
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
