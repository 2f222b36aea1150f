package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One lattice node: a replicated-state service whose state is fingerprinted by a Merkle root. The
 * operator runs it (Deployment, PVC, config, Services, DNS aliases) and watches it.
 */
@Group(LatticeNode.GROUP)
@Version(LatticeNode.VERSION)
@ShortNames("ln")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 57",
    message =
        "metadata.name must be a DNS-1035 label of at most 57 characters (lowercase letters, digits"
            + " and '-', starting with a letter): it names the node's Service and its DNS name")
@ValidationRule(
    value = "has(self.spec)",
    message = "spec is required: at least spec.lattice and spec.role (see examples/dual-node.yaml)")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class LatticeNode extends CustomResource<LatticeNodeSpec, LatticeNodeStatus>
    implements Namespaced {

  public static final String GROUP = "lattice.diotec360.com";
  public static final String VERSION = "v1alpha1";

  /**
   * {@code "true"}: the operator changes nothing it owns for this node (it keeps probing and
   * reporting; condition ReconciliationPaused).
   */
  public static final String PAUSED_ANNOTATION = GROUP + "/paused";

  /** Any new value: one restart of the node, gated like every other rollout (once per value). */
  public static final String RESTART_ANNOTATION = GROUP + "/restart";

  /** True when the paused annotation says "true". */
  public boolean paused() {
    var annotations = getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(PAUSED_ANNOTATION));
  }

  /** The restart annotation's value, or null. */
  public String restartRequest() {
    var annotations = getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(RESTART_ANNOTATION);
  }

  // Overridden only to document spec and status for kubectl explain.
  @Override
  @JsonPropertyDescription(
      "What the user wants for this node: its lattice and role (required), image, sync settings,"
          + " peers, DNS entries, storage and environment. The operator never writes it.")
  public LatticeNodeSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed of this node: phase, address, peers and conditions. Written"
          + " only by the operator.")
  public LatticeNodeStatus getStatus() {
    return super.getStatus();
  }

  /**
   * No status until the operator writes one, exactly as the API server stores a new node. An empty
   * status here would make JOSDK's status patch {@code add} fields below a {@code /status} the
   * server does not have, which a real API server refuses (RFC 6902) with 422.
   */
  @Override
  protected LatticeNodeStatus initStatus() {
    return null;
  }
}
