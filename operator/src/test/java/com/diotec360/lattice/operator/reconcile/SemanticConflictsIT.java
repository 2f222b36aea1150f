package com.diotec360.lattice.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.operator.api.v1alpha1.AliasType;
import com.diotec360.lattice.operator.api.v1alpha1.DnsAlias;
import com.diotec360.lattice.operator.api.v1alpha1.DnsSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.events.Reason;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.status.StatusAggregator;
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}): the conflicts involve the server's own
 * objects (a foreign Service with its defaults, Secrets read under the chart's RBAC) and the
 * Warning Events it stores.
 *
 * <p>Every semantic conflict the schema cannot see, applied with the operator running: the node
 * is Invalid with a message that says what to change, one Warning says the same, and none of its
 * own objects is created (nothing half-applied). Each case has a namespace of its own; the
 * objects below are created in it (no namespace of their own).
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class SemanticConflictsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ROOT = "5df3daee3a0ca23c388a16c3db2c2388".repeat(2);

  private RealApiOperator operator;
  private KubernetesClient client;

  /** A conflict: what exists first, the node that collides, and what its Ready message must say. */
  private record Conflict(String name, Consumer<KubernetesClient> before, LatticeNode offender, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> conflicts() {
    LatticeNode peerName = node("alpha-peers", "alpha");

    LatticeNode aliasOwner = withAlias(node("a-first", "beta"), "api");
    LatticeNode aliasThief = withAlias(node("b-second", "beta"), "api");

    LatticeNode hostOwner = withHostname(node("a-host", "gamma"), "node.example.com");
    LatticeNode hostThief = withHostname(node("b-host", "gamma"), "node.example.com");

    LatticeNode missingKey = node("keyless", "delta");
    missingKey.getSpec().setSecretEnv(List.of(new SecretEnvVar("DIOTEC360_API_KEY", "api-key", "key")));

    LatticeNode squatted = node("squatted", "epsilon");

    LatticeNode rootOwner = node("a-rooted", "zeta");
    rootOwner.getSpec().setExpectedMerkleRoot(ROOT);
    LatticeNode rootless = node("b-rootless", "zeta");

    return Stream.of(
        new Conflict("node named like a lattice peer Service", c -> {}, peerName,
            "the node's name 'alpha-peers' is the name of a lattice peer Service"),
        new Conflict("alias already used by an older node", c -> create(c, aliasOwner), aliasThief,
            "DNS alias 'api' is already used by node 'a-first'"),
        new Conflict("hostname already published in the lattice", c -> create(c, hostOwner), hostThief,
            "hostname 'node.example.com' is already published by node 'a-host'"),
        new Conflict("secretEnv key missing from the Secret",
            c -> c.secrets().resource(new SecretBuilder().withNewMetadata().withName("api-key")
                .endMetadata().addToStringData("other", "x").build()).create(),
            missingKey, "refers to key 'key' of Secret 'api-key', which has no such key"),
        new Conflict("a foreign Service with the node's name",
            c -> c.services().resource(new ServiceBuilder().withNewMetadata().withName("squatted")
                .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create(),
            squatted, "a Service named 'squatted' already exists and is not managed by this node"),
        new Conflict("another expectedMerkleRoot in the lattice", c -> create(c, rootOwner), rootless,
            "spec.expectedMerkleRoot is not set but member 'a-rooted' of lattice 'zeta' has")
    ).map(Arguments::of);
  }

  @BeforeEach
  void start(RealApi api) {
    client = api.client();
    operator = RealApiOperator.start(api, Map.of("LATTICE_INVALID_SPEC_RECHECK_SECONDS", "1"));
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conflicts")
  void theNodeIsInvalidSaysWhyOnceAndNothingOfItIsCreated(Conflict conflict) {
    conflict.before().accept(client);
    String name = conflict.offender().getMetadata().getName();
    client.resource(conflict.offender()).create();

    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      LatticeNode seen = client.resources(LatticeNode.class).withName(name).get();
      assertThat(seen.getStatus().getPhase()).isEqualTo(StatusAggregator.PHASE_INVALID);
      var ready = Conditions.find(seen.getStatus().getConditions(), StatusAggregator.READY).orElseThrow();
      assertThat(ready.getReason()).isEqualTo(Reason.INVALID_SPEC.value());
      assertThat(ready.getMessage()).contains(conflict.message());
    });
    // Re-checked every second meanwhile: still one Warning, raised once.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(warningsAbout(name)).singleElement().satisfies(e -> {
          assertThat(e.getReason()).isEqualTo(Reason.INVALID_SPEC.value());
          assertThat(e.getMessage()).contains(conflict.message());
          assertThat(e.getCount()).isEqualTo(1);
        }));
    assertThat(client.configMaps().withName(name + "-config").get()).isNull();
    assertThat(client.configMaps().withName(name + "-peer-list").get()).isNull();
    assertThat(client.apps().deployments().withName(name).get()).isNull();
    assertThat(client.persistentVolumeClaims().withName(name + "-state").get()).isNull();
    var service = client.services().withName(name).get();
    assertThat(service == null || service.getMetadata().getOwnerReferences() == null
            || service.getMetadata().getOwnerReferences().isEmpty())
        .as("no Service of the invalid node").isTrue();
  }

  /** Warnings about the LatticeNode, not the real server's own about its Service of that name. */
  private List<Event> warningsAbout(String node) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> node.equals(e.getInvolvedObject().getName()))
        .filter(e -> "LatticeNode".equals(e.getInvolvedObject().getKind()))
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }

  private static void create(KubernetesClient client, LatticeNode node) {
    client.resource(node).create();
    await().atMost(WAIT).ignoreExceptions().until(() ->
        client.configMaps().withName(node.getMetadata().getName() + "-config").get() != null);
  }

  /** A node that names no namespace: the test's client creates it in the test's own. */
  private static LatticeNode node(String name, String lattice) {
    return Nodes.toCreate(name, null, lattice);
  }

  private static LatticeNode withAlias(LatticeNode node, String alias) {
    DnsAlias a = new DnsAlias();
    a.setName(alias);
    a.setType(AliasType.CNAME);
    a.setTarget("example.com");
    DnsSpec dns = new DnsSpec();
    dns.setAliases(List.of(a));
    node.getSpec().setDns(dns);
    return node;
  }

  private static LatticeNode withHostname(LatticeNode node, String hostname) {
    DnsSpec dns = new DnsSpec();
    dns.setHostnames(List.of(hostname));
    node.getSpec().setDns(dns);
    return node;
  }
}
