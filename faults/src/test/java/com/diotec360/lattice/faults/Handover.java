package com.diotec360.lattice.faults;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A graceful handover between two leader-elected operator processes on a real API server, as
 * kubelet makes one when the leader's pod is deleted normally: SIGTERM to the leader, a node
 * changed at once, and the times until the standby holds the Lease, until the change is in the
 * node's status with the standby leading, and until the old leader's process is gone. Shared by
 * {@link GracefulHandoverIT} and {@link HandoverBenchmark}.
 */
final class Handover {

  static final String LEASE_NAMESPACE = "lattice-system";
  static final String LEASE_NAME = "lattice-operator";
  private static final Duration POLL = Duration.ofMillis(20);

  /**
   * One handover: milliseconds from the SIGTERM until the standby held the Lease, until the
   * change was in status (observedGeneration) with the standby holding the Lease, and until the
   * old leader exited (-1: not within the bound); whether the standby wrote after the SIGTERM; the
   * Lease's transitions before and after.
   */
  record Result(String from, String to, long leaseMs, long reconciledMs, long exitedMs, int exitCode,
      boolean standbyWrote, int transitionsBefore, int transitionsAfter) {

    @Override
    public String toString() {
      return String.format("%s -> %s: Lease held after %d ms, change in status after %d ms (%s), old leader"
              + " exited after %d ms (code %d), lease transitions %d -> %d",
          from, to, leaseMs, reconciledMs, standbyWrote ? "the standby wrote" : "the standby wrote nothing",
          exitedMs, exitCode, transitionsBefore, transitionsAfter);
    }
  }

  private Handover() {}

  /** An operator process with leader election on, as the chart runs it (Lease in lattice-system). */
  static OperatorProcess replica(RealCluster cluster, String identity) {
    return OperatorProcess.start(identity, cluster.kubeconfigFor(identity, cluster.server().url(), true),
        Map.of("LATTICE_LEADER_ELECTION", "true", "POD_NAME", identity,
            "LATTICE_LEADER_ELECTION_LEASE_NAMESPACE", LEASE_NAMESPACE),
        cluster.workDir());
  }

  /** True once the process has started (its informers synced): a standby ready to take over. */
  static boolean started(OperatorProcess process) {
    return process.logLines("lattice-operator started") > 0;
  }

  static Lease lease(KubernetesClient client) {
    return client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE_NAME).get();
  }

  static String holder(KubernetesClient client) {
    Lease lease = lease(client);
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static int transitions(KubernetesClient client) {
    Lease lease = lease(client);
    return lease == null || lease.getSpec() == null || lease.getSpec().getLeaseTransitions() == null
        ? 0 : lease.getSpec().getLeaseTransitions();
  }

  /** SIGTERMs {@code leader}, changes a node at once, and measures until done or {@code bound}. */
  static Result sigtermLeader(RealCluster cluster, OperatorProcess leader, OperatorProcess standby,
      Workload work, Duration bound) {
    KubernetesClient client = cluster.client();
    String standbyUser = FaultCluster.user(standby.name());
    long standbyWritesBefore = cluster.writes().by(standbyUser);
    int transitionsBefore = transitions(client);

    long t0 = System.nanoTime();
    leader.sigterm();
    String node;
    long generation;
    do { // a change may set a value the node already has; then change again
      node = work.change();
      generation = generation(client, node);
    } while (generation == observedGeneration(client, node));

    long leaseAt = -1;
    long reconciledAt = -1;
    long exitedAt = -1;
    while (System.nanoTime() - t0 < bound.toNanos() && (leaseAt < 0 || reconciledAt < 0 || exitedAt < 0)) {
      long now = System.nanoTime();
      boolean standbyHolds = standby.name().equals(holder(client));
      if (leaseAt < 0 && standbyHolds) {
        leaseAt = now;
      }
      if (reconciledAt < 0 && standbyHolds && observedGeneration(client, node) >= generation) {
        reconciledAt = now;
      }
      if (exitedAt < 0 && !leader.alive()) {
        exitedAt = now;
      }
      OperatorProcess.sleep(POLL.toMillis());
    }
    return new Result(leader.name(), standby.name(), ms(leaseAt, t0), ms(reconciledAt, t0), ms(exitedAt, t0),
        leader.alive() ? -1 : leader.exitValue(), cluster.writes().by(standbyUser) > standbyWritesBefore,
        transitionsBefore, transitions(client));
  }

  private static long ms(long at, long t0) {
    return at < 0 ? -1 : (at - t0) / 1_000_000;
  }

  private static long generation(KubernetesClient client, String node) {
    return get(client, node).getMetadata().getGeneration();
  }

  private static long observedGeneration(KubernetesClient client, String node) {
    LatticeNode n = get(client, node);
    return n.getStatus() == null || n.getStatus().getObservedGeneration() == null
        ? 0 : n.getStatus().getObservedGeneration();
  }

  private static LatticeNode get(KubernetesClient client, String node) {
    return Objects.requireNonNull(
        client.resources(LatticeNode.class).inNamespace(FaultCluster.NAMESPACE).withName(node).get(), node);
  }
}
