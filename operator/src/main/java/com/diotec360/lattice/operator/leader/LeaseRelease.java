package com.diotec360.lattice.operator.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up this replica's leader Lease when it stops, so a standby takes over at its next try
 * (one retry period, 2 s) instead of waiting for the lease to expire (15 s): what client-go's
 * {@code ReleaseOnCancel} does.
 *
 * <p>Why here and not in the library: JOSDK 5.2.3's {@code LeaderElectionManager} builds fabric8's
 * {@code LeaderElectionConfig} with {@code releaseOnCancel = false} and offers no setting for it,
 * and keeps its {@code LeaderElector} private. fabric8 7.5.2's own release would not be enough
 * anyway: it writes the Lease with a JSON merge patch from a model that leaves out null fields,
 * so the holder stays in the Lease, and a fabric8 standby counts its own 15 s from the renew time
 * whenever a holder is named.
 *
 * <p>The release is the Lease as client-go leaves it: no holder, a lease of 1 s, acquire and
 * renew time now, transitions unchanged; written with {@code update} and the resourceVersion just
 * read, so it never overwrites a Lease that another replica took meanwhile. It must only be done
 * once nothing this replica does under the lease is still running (see {@code
 * LatticeOperator.close}).
 */
public final class LeaseRelease {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  /**
   * Releases {@code namespace/name} if {@code identity} holds it; true when it did. Any failure
   * is logged and ends in false: the lease then simply expires.
   */
  public static boolean release(
      KubernetesClient client, String namespace, String name, String identity, Clock clock) {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      LeaseSpec spec = lease == null ? null : lease.getSpec();
      if (spec == null || !Objects.equals(identity, spec.getHolderIdentity())) {
        LOG.info("leader lease {}/{} not released: held by {}, not by {}", namespace, name,
            spec == null ? "nobody" : spec.getHolderIdentity(), identity);
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
      spec.setHolderIdentity("");
      spec.setLeaseDurationSeconds(1);
      spec.setAcquireTime(now);
      spec.setRenewTime(now);
      client.leases().inNamespace(namespace).resource(lease).update();
      LOG.info("leader lease {}/{} released by {}: a standby takes over at its next try", namespace, name,
          identity);
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn("leader lease {}/{} not released ({}): a standby takes over when it expires", namespace,
          name, e.getCode() == 409 ? "it changed meanwhile" : e.getMessage());
      return false;
    } catch (IllegalStateException e) {
      LOG.warn("leader lease {}/{} not released ({}): a standby takes over when it expires", namespace,
          name, e.getMessage());
      return false;
    }
  }
}
