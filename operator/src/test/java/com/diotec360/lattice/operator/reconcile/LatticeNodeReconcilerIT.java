package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.act.DeploymentRevisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.LogLevel;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.support.OperatorHarness;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}), since these tests assert what the API
 * does with the operator's writes: status and conditions through {@code /status}, defaults the
 * server adds, refused updates (a PVC change) and Events.
 *
 * <p>The real operator, acting as the operator chart's ServiceAccount with the chart's RBAC,
 * watches this test's namespace; the test's own client is cluster-admin. No controller runs:
 * the test writes Deployment status where a node must become available.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class LatticeNodeReconcilerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  KubernetesClient client;
  private String namespace;
  private RealApiOperator operator;

  @BeforeEach
  void startOperator(RealApi api) {
    client = api.client();
    namespace = api.namespace();
    operator = RealApiOperator.start(api, Map.of("LATTICE_INVALID_SPEC_RECHECK_SECONDS", "1"));
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void dualNodeExampleGetsEveryOwnedObject() {
    apply("examples/dual-node.yaml");
    LatticeNode node1 = awaitNode("node1-huggingface");
    LatticeNode node2 = awaitNode("node2-local");

    ConfigMap config = await().atMost(WAIT).ignoreExceptions().until(() -> configMap("node1-huggingface-config"), c -> c != null);
    assertThat(config.getData())
        .containsEntry("DIOTEC360_NODE_NAME", "node1-huggingface")
        .containsEntry("DIOTEC360_NODE_ROLE", "genesis-public")
        .containsEntry("DIOTEC360_P2P_ENABLED", "true")
        .containsEntry("DIOTEC360_HEARTBEAT_INTERVAL", "5")
        .containsEntry("DIOTEC360_PEERLESS_TIMEOUT", "60")
        .containsEntry("DIOTEC360_HTTP_POLL_INTERVAL", "10")
        .containsEntry("DIOTEC360_STATE_DIR", "/var/lib/lattice/state");
    assertOwnedBy(config, node1);

    Lattice lattice = await().atMost(WAIT).ignoreExceptions()
        .until(() -> client.resources(Lattice.class).withName("diotec360").get(), l -> l != null);
    assertThat(lattice.madeByOperator()).as("the example brings its own Lattice").isFalse();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
        assertThat(peers("diotec360")).as("one peer list for the lattice, naming both members")
            .containsExactly(url("node1-huggingface"), url("node2-local")));
    assertThat(client.configMaps().list().getItems()).extracting(c -> c.getMetadata().getName())
        .as("no peer list per member").noneMatch(n -> n.endsWith("-peer-list"));
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(client.persistentVolumeClaims().withName("node2-local-state").get()).isNotNull();
      assertThat(deployment("node1-huggingface")).isNotNull();
      assertThat(deployment("node2-local")).isNotNull();
    });
    assertOwnedBy(deployment("node2-local"), node2);

    Service api = await().atMost(WAIT).ignoreExceptions().until(() -> service("api"), s -> s != null);
    assertThat(api.getSpec().getType()).isEqualTo("ExternalName");
    assertThat(api.getSpec().getExternalName()).isEqualTo("diotec360-node1.hf.space");
    assertOwnedBy(api, node1);

    Service node2Alias = await().atMost(WAIT).ignoreExceptions().until(() -> service("node2"), s -> s != null);
    assertThat(node2Alias.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(node2Alias.getSpec().getSelector()).isNullOrEmpty();
    EndpointSlice slice =
        await().atMost(WAIT).ignoreExceptions().until(
            () -> client.discovery().v1().endpointSlices().withName("node2-a").get(), s -> s != null);
    assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "node2");
    assertThat(slice.getEndpoints()).flatExtracting(e -> e.getAddresses()).containsExactly("203.0.113.10");

    Service peers = await().atMost(WAIT).ignoreExceptions().until(() -> service("diotec360-peers"), s -> s != null);
    assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(peers.getSpec().getSelector()).containsEntry(LatticeLabels.LATTICE, "diotec360");
    for (HasMetadata shared : List.of(peers, client.secrets().withName("diotec360-lattice-secret").get(),
        configMap("diotec360-lattice-peers"),
        client.policy().v1().podDisruptionBudget().withName("diotec360-lattice-budget").get())) {
      assertThat(shared.getMetadata().getOwnerReferences()).as("%s has one owner, its Lattice", shared.getMetadata().getName())
          .singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("Lattice");
            assertThat(ref.getUid()).isEqualTo(lattice.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
          });
    }
    assertThat(client.secrets().withName("diotec360-lattice-secret").get().getData()).containsKey("token");

    // No Deployment controller runs here: report the pod available as a cluster would.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(node("node1-huggingface").getStatus())
            .as("node1-huggingface's status, written by the operator through /status")
            .isNotNull()
            .extracting(LatticeNodeStatus::getPhase).isEqualTo("Pending"));
    markAvailable("node1-huggingface");
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      LatticeNode ready = node("node1-huggingface");
      assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
      assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(Conditions.find(ready.getStatus().getConditions(), "Ready").orElseThrow().getStatus())
          .isEqualTo("True");
    });
  }

  @Test
  void triangleMembersShareOnePeerListThatShrinksWhenOneLeaves() {
    apply("examples/triangle.yaml");
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(peers("triangle")).containsExactly(url("genesis-backup"), url("genesis-primary"), url("genesis-public"));
      assertThat(deployment("genesis-public")).isNotNull();
    });
    String hashBefore = configHash("genesis-public");
    String revisionBefore = DeploymentRevisions.revisionOf(deployment("genesis-public"));

    client.resources(LatticeNode.class).withName("genesis-backup").delete();

    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(peers("triangle")).containsExactly(url("genesis-primary"), url("genesis-public"));
      assertThat(client.resources(Lattice.class).withName("triangle").get().getStatus().getMembers()).isEqualTo(2);
      assertThat(client.policy().v1().podDisruptionBudget().withName("triangle-lattice-budget").get()
          .getSpec().getMinAvailable().getIntVal()).as("2 members keep 1").isEqualTo(1);
    });
    assertThat(configHash("genesis-public"))
        .as("a peer-list change must not roll the other members' pods")
        .isEqualTo(hashBefore);
    assertThat(DeploymentRevisions.revisionOf(deployment("genesis-public"))).isEqualTo(revisionBefore);
  }

  @Test
  void aSpecChangeRollsOnlyThatNodesPod() {
    apply("examples/dual-node.yaml");
    await().atMost(WAIT).ignoreExceptions().until(() -> deployment("node1-huggingface") != null && deployment("node2-local") != null);
    String node1Hash = configHash("node1-huggingface");
    String node2Hash = configHash("node2-local");

    editNode("node1-huggingface", n -> { n.getSpec().setLogLevel(LogLevel.DEBUG); return n; });

    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(configMap("node1-huggingface-config").getData()).containsEntry("DIOTEC360_LOG_LEVEL", "DEBUG");
      assertThat(configHash("node1-huggingface")).isNotEqualTo(node1Hash);
    });
    assertThat(configHash("node2-local")).isEqualTo(node2Hash);
  }

  @Test
  void removingSpecFieldsRemovesWhatTheyProduced() {
    LatticeNode node = newNode("shrinking", "solo");
    node.getSpec().setEnv(List.of(new com.diotec360.lattice.operator.api.v1alpha1.ExtraEnvVar("EXTRA", "1")));
    var dns = new com.diotec360.lattice.operator.api.v1alpha1.DnsSpec();
    dns.setHostnames(List.of("shrinking.diotec360.com"));
    node.getSpec().setDns(dns);
    client.resource(node).create();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(configMap("shrinking-config").getData()).containsKey("EXTRA");
      assertThat(service("shrinking").getMetadata().getAnnotations())
          .containsKey("external-dns.alpha.kubernetes.io/hostname");
    });

    editNode("shrinking", n -> {
      n.getSpec().setEnv(List.of());
      n.getSpec().setDns(null);
      return n;
    });

    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(configMap("shrinking-config").getData()).doesNotContainKey("EXTRA");
      assertThat(service("shrinking").getMetadata().getAnnotations())
          .doesNotContainKeys("external-dns.alpha.kubernetes.io/hostname", "external-dns.alpha.kubernetes.io/ttl");
    });
  }

  @Test
  void missingSecretIsInvalidSpecWithOneWarningAndNoOwnedObjects() {
    LatticeNode node = newNode("lonely", "solo");
    node.getSpec().setSecretEnv(List.of(new SecretEnvVar("DIOTEC360_API_KEY", "api-key", "key")));
    client.resource(node).create();

    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      LatticeNode seen = node("lonely");
      assertThat(seen.getStatus()).isNotNull();
      assertThat(seen.getStatus().getPhase()).isEqualTo("Invalid");
      var ready = Conditions.find(seen.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("InvalidSpec");
      assertThat(ready.getMessage()).contains("Secret 'api-key'").contains("create it or fix secretName");
    });
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(warningsAbout("lonely")).hasSize(1).first()
            .satisfies(e -> {
              assertThat(e.getReason()).isEqualTo("InvalidSpec");
              // One Event object can stand for many: the recorder bumps count on a repeat.
              assertThat(e.getCount()).as("times the Warning was raised").isEqualTo(1);
            }));
    // Nothing of the node's own; its lattice's shared objects are the Lattice's.
    for (var kind : List.of(ConfigMap.class, Deployment.class, Service.class, PersistentVolumeClaim.class)) {
      assertThat(client.resources(kind).list().getItems())
          .as("%s controlled by the invalid node", kind.getSimpleName())
          .noneMatch(o -> o.getMetadata().getOwnerReferences().stream().anyMatch(r -> "lonely".equals(r.getName())));
    }

    client.resource(new SecretBuilder().withNewMetadata().withName("api-key").endMetadata()
        .addToStringData("key", "s3cr3t").build()).create();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(deployment("lonely")).isNotNull();
      assertThat(node("lonely").getStatus().getPhase()).isEqualTo("Pending");
    });
  }

  @Test
  void aRefusedShrinkOfTheStateClaimIsAConditionAndOneWarning() {
    // What a cluster has: a StorageClass that allows expansion and a claim its provisioner bound.
    // (The real server refuses any size change of an unbound claim, and growth unless the class
    // allows it.)
    String storageClass = namespace + "-expandable";
    client.storage().v1().storageClasses().resource(new StorageClassBuilder()
        .withNewMetadata().withName(storageClass).endMetadata()
        .withProvisioner("lattice.diotec360.com/test").withAllowVolumeExpansion(true).build()).create();
    LatticeNode node = newNode("claim", "solo");
    var storage = new com.diotec360.lattice.operator.api.v1alpha1.StorageSpec();
    storage.setSize("2Gi");
    storage.setStorageClassName(storageClass);
    node.getSpec().setStorage(storage);
    client.resource(node).create();
    PersistentVolumeClaim claim = await().atMost(WAIT).ignoreExceptions()
        .until(() -> client.persistentVolumeClaims().withName("claim-state").get(), c -> c != null);
    claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").withAccessModes("ReadWriteOnce")
        .addToCapacity("storage", new Quantity("2Gi")).build());
    client.persistentVolumeClaims().resource(claim).updateStatus();

    editNode("claim", n -> {
      n.getSpec().getStorage().setSize("1Gi");
      return n;
    });

    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      var ready = Conditions.find(node("claim").getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("ReconcileError");
      assertThat(ready.getMessage())
          .startsWith("writing the state PersistentVolumeClaim: ")
          .contains("spec.resources.requests.storage: Forbidden: field can not be less than status.capacity");
    });
    // JOSDK retries meanwhile; the same message is still one Warning, raised once.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(warningsAbout("claim")).hasSize(1).first().satisfies(e -> {
          assertThat(e.getReason()).isEqualTo("ReconcileError");
          assertThat(e.getCount()).isEqualTo(1);
        }));

    editNode("claim", n -> {
      n.getSpec().getStorage().setSize("3Gi");
      return n;
    });
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(Conditions.find(node("claim").getStatus().getConditions(), "Ready").orElseThrow().getReason())
          .isEqualTo("DeploymentNotAvailable");
      assertThat(client.persistentVolumeClaims().withName("claim-state").get()
          .getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("3Gi");
    });
  }

  @Test
  void anAliasThatTakesAnotherNodesNameIsRejected() {
    apply("examples/dual-node.yaml");
    await().atMost(WAIT).ignoreExceptions().until(() -> service("node1-huggingface") != null);
    LatticeNode thief = newNode("thief", "diotec360");
    var alias = new com.diotec360.lattice.operator.api.v1alpha1.DnsAlias();
    alias.setName("node1-huggingface");
    alias.setType(com.diotec360.lattice.operator.api.v1alpha1.AliasType.CNAME);
    alias.setTarget("example.com");
    var dns = new com.diotec360.lattice.operator.api.v1alpha1.DnsSpec();
    dns.setAliases(List.of(alias));
    thief.getSpec().setDns(dns);
    client.resource(thief).create();

    await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
        assertThat(Conditions.find(node("thief").getStatus().getConditions(), "Ready").orElseThrow().getMessage())
            .contains("DNS alias 'node1-huggingface' collides with the Service of node 'node1-huggingface'"));
    assertThat(service("node1-huggingface").getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(deployment("thief")).isNull();
  }

  /** A user's edit, which may lose the optimistic lock to the operator's status writes (see Edits). */
  private void editNode(String name, java.util.function.UnaryOperator<LatticeNode> change) {
    com.diotec360.lattice.operator.support.Edits.edit(client.resources(LatticeNode.class).withName(name), change);
  }

  /** Creates every object of a manifest file (path relative to the repository root), as a user would. */
  private void apply(String manifest) {
    try (InputStream in = Files.newInputStream(OperatorHarness.repoRoot().resolve(manifest))) {
      client.load(in).items().forEach(item -> client.resource(item).create());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private LatticeNode node(String name) {
    return client.resources(LatticeNode.class).withName(name).get();
  }

  private String url(String node) {
    return "http://" + node + "." + namespace + ".svc:8000";
  }

  private LatticeNode awaitNode(String name) {
    return await().atMost(WAIT).ignoreExceptions().until(() -> node(name), n -> n != null && n.getMetadata().getUid() != null);
  }

  static LatticeNode newNode(String name, String lattice) {
    LatticeNode node = new LatticeNode();
    node.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    var spec = new com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec();
    spec.setLattice(lattice);
    spec.setRole("genesis-primary");
    node.setSpec(spec);
    return node;
  }

  private ConfigMap configMap(String name) {
    return client.configMaps().withName(name).get();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().withName(name).get();
  }

  private Service service(String name) {
    return client.services().withName(name).get();
  }

  /** The lattice's one peer list. */
  private List<String> peers(String lattice) {
    ConfigMap peerList = configMap(lattice + "-lattice-peers");
    return peerList == null ? List.of() : List.of(peerList.getData().get("peers").strip().split("\n"));
  }

  private String configHash(String node) {
    return deployment(node).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(NodeDeploymentDependent.CONFIG_HASH_ANNOTATION);
  }

  /**
   * Warnings about the LatticeNode itself. Not its Service of the same name: a real API server
   * warns about those by itself at times ("Cluster IP ... is not allocated; repairing").
   */
  private List<Event> warningsAbout(String node) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> node.equals(e.getInvolvedObject().getName()))
        .filter(e -> "LatticeNode".equals(e.getInvolvedObject().getKind()))
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }

  private void markAvailable(String name) {
    Deployment d = deployment(name);
    d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
        .addNewCondition().withType("Available").withStatus("True").endCondition().build());
    client.apps().deployments().resource(d).updateStatus();
  }

  private static void assertOwnedBy(HasMetadata owned, LatticeNode owner) {
    assertThat(owned.getMetadata().getOwnerReferences())
        .anySatisfy(ref -> {
          assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
          assertThat(ref.getKind()).isEqualTo("LatticeNode");
          assertThat(ref.getController()).isTrue();
        });
  }
}
