package com.diotec360.lattice.operator.judge;

import java.util.Map;

/**
 * The judgement of a whole lattice.
 *
 * @param referenceRoot the root members are compared with, or null when there is no quorum
 * @param expectedRootOverride true when the reference came from spec.expectedMerkleRoot
 * @param agreeing eligible members holding the reference root
 * @param total all members of the lattice, reachable or not (the quorum's denominator)
 * @param members the verdict per member name
 */
public record LatticeJudgement(
    String referenceRoot,
    boolean expectedRootOverride,
    int agreeing,
    int total,
    Map<String, MemberJudgement> members) {

  public boolean hasQuorum() {
    return referenceRoot != null;
  }

  public MemberJudgement of(String member) {
    MemberJudgement judgement = members.get(member);
    if (judgement == null) {
      throw new IllegalArgumentException(member + " is not a member of the judged lattice");
    }
    return judgement;
  }
}
