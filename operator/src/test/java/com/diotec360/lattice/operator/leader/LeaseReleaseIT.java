package com.diotec360.lattice.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.embedded.EmbeddedApiServer;
import com.diotec360.lattice.operator.charts.OperatorChartRbac;
import com.diotec360.lattice.operator.support.OperatorHarness;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the release writes, and that it never takes a Lease from another holder. */
class LeaseReleaseIT {

  /** Where the chart grants the operator its lease permissions. */
  private static final String NS = OperatorChartRbac.releaseNamespace();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

  private EmbeddedApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = OperatorHarness.startApi();
    // what the operator chart grants with leader election (get and update on leases)
    client = OperatorHarness.operatorClient(api, true);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theHolderLeavesTheLeaseAsClientGoDoes() {
    held("replica-a", 3);

    assertThat(LeaseRelease.release(client, NS, "lattice-operator", "replica-a", CLOCK)).isTrue();

    var spec = lease().getSpec();
    assertThat(spec.getHolderIdentity()).isEmpty();
    assertThat(spec.getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(spec.getRenewTime().toInstant()).isEqualTo(CLOCK.instant());
    assertThat(spec.getAcquireTime().toInstant()).isEqualTo(CLOCK.instant());
    assertThat(spec.getLeaseTransitions()).as("a release is not a transition").isEqualTo(3);
  }

  @Test
  void aLeaseHeldByAnotherReplicaIsLeftAlone() {
    Lease before = held("replica-b", 4);

    assertThat(LeaseRelease.release(client, NS, "lattice-operator", "replica-a", CLOCK)).isFalse();

    assertThat(lease().getSpec()).isEqualTo(before.getSpec());
  }

  @Test
  void noLeaseNothingToRelease() {
    assertThat(LeaseRelease.release(client, NS, "lattice-operator", "replica-a", CLOCK)).isFalse();
  }

  private Lease held(String holder, int transitions) {
    ZonedDateTime renewed = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
    return api.client().leases().inNamespace(NS).resource(new LeaseBuilder()
            .withNewMetadata().withName("lattice-operator").withNamespace(NS).endMetadata()
            .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15)
            .withAcquireTime(renewed).withRenewTime(renewed).withLeaseTransitions(transitions).endSpec()
            .build())
        .create();
  }

  private Lease lease() {
    return api.client().leases().inNamespace(NS).withName("lattice-operator").get();
  }
}
