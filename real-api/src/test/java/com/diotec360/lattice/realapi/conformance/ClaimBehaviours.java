package com.diotec360.lattice.realapi.conformance;

import static com.diotec360.lattice.realapi.conformance.Fixtures.core;
import static com.diotec360.lattice.realapi.conformance.Fixtures.create;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * PersistentVolumeClaim updates: the operator resizes a node's state claim when
 * {@code spec.storage.size} changes, and must show the server's refusal in status.
 */
final class ClaimBehaviours {

  private ClaimBehaviours() {}

  private static String claim(String name, String size) {
    return """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"%s"},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"%s"}}}}""".formatted(name, size);
  }

  private static String resize(String size) {
    return "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"" + size + "\"}}}}";
  }

  /** Creates a claim of 1Gi, bound (status Bound, capacity 1Gi) when asked. */
  private static String claimOf(Target t, String name, boolean bound) {
    var created = (ObjectNode) create(t, core(t, "persistentvolumeclaims"), claim(name, "1Gi"));
    String path = core(t, "persistentvolumeclaims") + "/" + name;
    if (bound) {
      created.putObject("status").put("phase", "Bound").putArray("accessModes").add("ReadWriteOnce");
      ((ObjectNode) created.get("status")).putObject("capacity").put("storage", "1Gi");
      var answer = t.put(path + "/status", created.toString());
      if (answer.code() != 200) {
        throw new IllegalStateException(t.name() + " did not bind " + name + ": " + answer.body());
      }
    }
    return path;
  }

  private static Behaviour change(String id, String what, boolean bound, String patch) {
    return new Behaviour("claims." + id, what, t -> {
      var answer = t.patch(claimOf(t, "pvc-" + id, bound), PatchBehaviours.MERGE, patch);
      // a real server appends a diff of the two specs to the first line: apart, to be compared apart
      String message = answer.json().path("message").asText("");
      int newline = message.indexOf('\n');
      return Observation.status(answer.withMessage(m -> newline < 0 ? m : m.substring(0, newline)))
          .put("message.diff", newline < 0 ? "<none>" : "a diff of " + message.substring(newline + 1).lines().count()
              + " lines");
    });
  }

  static List<Behaviour> all() {
    return List.of(
        change("grow-unbound", "grow an unbound claim (1Gi → 2Gi)", false, resize("2Gi")),
        change("shrink-unbound", "shrink an unbound claim (1Gi → 500Mi)", false, resize("500Mi")),
        change("grow-bound", "grow a bound claim (1Gi → 2Gi)", true, resize("2Gi")),
        change("shrink-bound", "shrink a bound claim below status.capacity (1Gi → 500Mi)", true, resize("500Mi")),
        change("access-modes", "change an unbound claim's accessModes", false,
            "{\"spec\":{\"accessModes\":[\"ReadWriteMany\"]}}"),
        change("labels", "change an unbound claim's labels (metadata only)", false,
            "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"));
  }
}
