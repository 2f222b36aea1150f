package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * A lattice: the group its LatticeNodes (and external members) form. What is true of the group is
 * judged and stored here once (reference root, quorum, phase, rollout and repair turns), and what
 * the group shares (its Secret, peers Service, disruption budget and peer list) is owned by it.
 * LatticeNodes name it in {@code spec.lattice}; a LatticeNode naming a Lattice that does not exist
 * makes the operator create one (labelled as made by the operator, and removed with its last
 * member).
 */
@Group(LatticeNode.GROUP)
@Version(LatticeNode.VERSION)
@ShortNames("lat")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 50",
    message =
        "metadata.name must be a DNS-1035 label of at most 50 characters (lowercase letters, digits"
            + " and '-', starting with a letter): it names the lattice's Services, Secret and budget")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Lattice extends CustomResource<LatticeSpec, LatticeStatus> implements Namespaced {

  /** The label that says who made the Lattice. */
  public static final String MADE_BY_LABEL = "app.kubernetes.io/managed-by";

  /** The value of {@link #MADE_BY_LABEL} on a Lattice the operator made for a LatticeNode. */
  public static final String MADE_BY_OPERATOR = "lattice-operator";

  /** True when the operator made this Lattice (and so removes it with its last member). */
  @JsonIgnore
  public boolean madeByOperator() {
    Map<String, String> labels = getMetadata() == null ? null : getMetadata().getLabels();
    return labels != null && MADE_BY_OPERATOR.equals(labels.get(MADE_BY_LABEL));
  }

  // Overridden only to document spec and status for kubectl explain.
  @Override
  @JsonPropertyDescription(
      "What the user wants for the whole lattice: the expected root, self-heal, the disruption"
          + " budget and rollout policies, and members the operator does not run. Every field is"
          + " optional; an empty spec gives the defaults. The operator never writes it.")
  public LatticeSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator judged of the lattice: members, agreement, quorum, reference root, phase,"
          + " partitions, rollout and repair turns, conditions. Written only by the operator.")
  public LatticeStatus getStatus() {
    return super.getStatus();
  }

  /** No status until the operator writes one (see {@link LatticeNode#initStatus()}). */
  @Override
  protected LatticeStatus initStatus() {
    return null;
  }

  /** An empty spec rather than none: every field has a default. */
  @Override
  protected LatticeSpec initSpec() {
    return new LatticeSpec();
  }
}
