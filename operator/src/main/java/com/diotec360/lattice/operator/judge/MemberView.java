package com.diotec360.lattice.operator.judge;

import java.time.Instant;

/**
 * What the judge knows of one member: its latest report and the judge's own memory of it (kept in
 * the member's status so it survives operator restarts).
 *
 * @param name the member's name, unique in its lattice
 * @param eligible reachable and healthy: only eligible members vote and are judged
 * @param merkleRoot the root it reported, null when never seen
 * @param version the count of entries it applied, -1 when never seen
 * @param mismatchSince when it was first seen holding a root other than the reference, or null
 * @param divergedSince when it was first judged Diverged, or null
 */
public record MemberView(
    String name,
    boolean eligible,
    String merkleRoot,
    long version,
    Instant mismatchSince,
    Instant divergedSince) {

  public static MemberView eligible(String name, String root, long version) {
    return new MemberView(name, true, root, version, null, null);
  }

  public static MemberView ineligible(String name) {
    return new MemberView(name, false, null, -1, null, null);
  }

  public MemberView remembering(Instant mismatchSince, Instant divergedSince) {
    return new MemberView(name, eligible, merkleRoot, version, mismatchSince, divergedSince);
  }
}
