package com.diotec360.lattice.operator.validate;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks a Lattice's schema and CEL rules cannot make, because they need other objects: an
 * external member named like a LatticeNode of the lattice, and a Service in the way of the
 * lattice's peers Service. Each problem names the field and says what to change. While a Lattice
 * has problems, nothing of it is applied, and its members are Invalid with its message.
 */
public final class LatticeValidator {

  private final SpecValidator.ClusterView cluster;

  public LatticeValidator(SpecValidator.ClusterView cluster) {
    this.cluster = cluster;
  }

  /**
   * @param lattice the Lattice to check
   * @param members its members ({@link Membership})
   */
  public List<String> problems(Lattice lattice, List<LatticeNode> members) {
    List<String> problems = new ArrayList<>();
    String name = lattice.getMetadata().getName();
    List<ExternalMember> external = lattice.getSpec() == null
        ? List.of()
        : Objects.requireNonNullElse(lattice.getSpec().getExternalMembers(), List.of());
    Set<String> memberNames = members.stream().map(m -> m.getMetadata().getName()).collect(Collectors.toSet());
    for (int i = 0; i < external.size(); i++) {
      ExternalMember e = external.get(i);
      if (e.getName() != null && memberNames.contains(e.getName())) {
        problems.add("spec.externalMembers[" + i + "].name '" + e.getName() + "' is the name of"
            + " LatticeNode '" + e.getName() + "' of lattice '" + name + "': every member needs its"
            + " own name; rename the external member");
      }
    }
    String peers = ResourceNames.latticePeerService(name);
    cluster.service(lattice.getMetadata().getNamespace(), peers)
        .filter(svc -> {
          Map<String, String> labels = Objects.requireNonNullElse(svc.getMetadata().getLabels(), Map.of());
          return !LatticeLabels.MANAGER.equals(labels.get(LatticeLabels.MANAGED_BY))
              || !LatticeLabels.COMPONENT_LATTICE_PEERS.equals(labels.get(LatticeLabels.COMPONENT));
        })
        .ifPresent(svc -> problems.add("a Service named '" + peers + "' already exists and is not"
            + " the operator's peers Service of lattice '" + name + "': remove that Service or"
            + " choose another lattice name"));
    return problems;
  }
}
