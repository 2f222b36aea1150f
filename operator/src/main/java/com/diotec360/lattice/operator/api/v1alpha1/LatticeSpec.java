package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What the user wants for a whole lattice. The operator never writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.externalMembers) || self.externalMembers.all(m, self.externalMembers.exists_one(o, o.name == m.name))",
    message = "externalMembers: each name may appear once; rename or remove the duplicate")
@ValidationRule(
    value = "!has(self.externalMembers) || self.externalMembers.all(m, self.externalMembers.exists_one(o, o.url == m.url))",
    message = "externalMembers: each url may appear once; one member per node")
public class LatticeSpec {

  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription(
      "Optional target Merkle root of the lattice (64 lowercase hex characters). When set, members"
          + " are judged against it instead of the root a strict majority holds. Replaces"
          + " spec.expectedMerkleRoot of the LatticeNodes, which is read only while this is unset.")
  private String expectedMerkleRoot;

  @JsonPropertyDescription(
      "Opt-in repair of a diverged member (default off): see selfHeal.enabled and"
          + " docs/watching.md. Replaces spec.selfHeal of the LatticeNodes, which is read only while"
          + " this is unset.")
  private SelfHealSpec selfHeal;

  @JsonPropertyDescription(
      "The PodDisruptionBudget '<lattice>-lattice-budget' over every member's pod, which keeps node"
          + " drains from taking more members than the lattice can spare.")
  private DisruptionBudgetSpec disruptionBudget;

  @JsonPropertyDescription(
      "How changes that restart members (image, env, resources, config, restart requests) roll"
          + " through the lattice: one member at a time, gated on the others (docs/operations.md).")
  private RolloutPolicySpec rollout;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Members of the lattice the operator does not run (a hosted node, a server outside the"
          + " cluster, another cluster's members): name, url and role, optionally headers from a"
          + " Secret and a CA. They are probed, judged and counted in the quorum like the members"
          + " the operator runs, shown in status.externalMembers, and listed in the members' peer"
          + " list. The operator never writes to them (no mode switch, no self-heal).")
  private List<ExternalMember> externalMembers = new ArrayList<>();

  public String getExpectedMerkleRoot() {
    return expectedMerkleRoot;
  }

  public void setExpectedMerkleRoot(String expectedMerkleRoot) {
    this.expectedMerkleRoot = expectedMerkleRoot;
  }

  public SelfHealSpec getSelfHeal() {
    return selfHeal;
  }

  public void setSelfHeal(SelfHealSpec selfHeal) {
    this.selfHeal = selfHeal;
  }

  public DisruptionBudgetSpec getDisruptionBudget() {
    return disruptionBudget;
  }

  public void setDisruptionBudget(DisruptionBudgetSpec disruptionBudget) {
    this.disruptionBudget = disruptionBudget;
  }

  public RolloutPolicySpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutPolicySpec rollout) {
    this.rollout = rollout;
  }

  public List<ExternalMember> getExternalMembers() {
    return externalMembers;
  }

  public void setExternalMembers(List<ExternalMember> externalMembers) {
    this.externalMembers = externalMembers;
  }
}
