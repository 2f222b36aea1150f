package com.diotec360.lattice.operator.reconcile.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.api.v1alpha1.AliasType;
import com.diotec360.lattice.operator.api.v1alpha1.DnsAlias;
import com.diotec360.lattice.operator.api.v1alpha1.DnsSpec;
import com.diotec360.lattice.operator.api.v1alpha1.ExtraEnvVar;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.P2PSpec;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.api.v1alpha1.SyncSpec;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.plan.NodeEnvironment;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.plan.NodePlanner;
import com.diotec360.lattice.operator.support.Nodes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every desired() builder, on a fully specified node and its lattice. */
class NodeDependentsTest {

  private final LatticeNode node1 = Nodes.node("node1", "diotec360");
  private final LatticeNode node2 = Nodes.node("node2", "diotec360");

  private NodePlan plan() {
    return new NodePlanner(OperatorConfig.defaults()).plan(node1);
  }

  @Test
  void configMapCarriesTheBriefsVariables() {
    node1.getSpec().setRole("genesis-public");
    SyncSpec sync = new SyncSpec();
    sync.setHeartbeatIntervalSeconds(2);
    sync.setPeerlessTimeoutSeconds(7);
    sync.setHttpPollIntervalSeconds(3);
    P2PSpec p2p = new P2PSpec();
    p2p.setEnabled(false);
    p2p.setPort(9100);
    sync.setP2p(p2p);
    node1.getSpec().setSync(sync);
    node1.getSpec().setEnv(List.of(new ExtraEnvVar("JAVA_TOOL_OPTIONS", "-Xmx256m")));

    Map<String, String> data = new NodeConfigMapDependent().build(node1, plan()).getData();

    assertThat(data)
        .containsEntry("DIOTEC360_NODE_NAME", "node1")
        .containsEntry("DIOTEC360_NODE_ROLE", "genesis-public")
        .containsEntry("DIOTEC360_P2P_ENABLED", "false")
        .containsEntry("DIOTEC360_P2P_PORT", "9100")
        .containsEntry("DIOTEC360_HTTP_PORT", "8000")
        .containsEntry("DIOTEC360_HEARTBEAT_INTERVAL", "2")
        .containsEntry("DIOTEC360_PEERLESS_TIMEOUT", "7")
        .containsEntry("DIOTEC360_HTTP_POLL_INTERVAL", "3")
        .containsEntry("DIOTEC360_STATE_DIR", "/var/lib/lattice/state")
        .containsEntry("DIOTEC360_VAULT_DIR", "/var/lib/lattice/vault")
        .containsEntry("DIOTEC360_SENTINEL_DIR", "/var/lib/lattice/sentinel")
        .containsEntry("DIOTEC360_PEERS_FILE", "/etc/lattice/peers")
        .containsEntry("DIOTEC360_ENVIRONMENT", "production")
        .containsEntry("DIOTEC360_LOG_LEVEL", "INFO")
        .containsEntry("DIOTEC360_SYNC_MODE", "auto")
        .containsEntry("JAVA_TOOL_OPTIONS", "-Xmx256m")
        .containsEntry("DIOTEC360_LATTICE_NODES", "")
        .doesNotContainKey("DIOTEC360_LATTICE_SECRET");
  }

  @Test
  void theNodesOwnExtraPeersAreInItsConfigTheLatticesMembersAreNot() {
    node1.getSpec().setPeers(List.of("https://api.diotec360.com"));

    Map<String, String> data = new NodeConfigMapDependent().build(node1, plan()).getData();

    assertThat(data).containsEntry("DIOTEC360_LATTICE_NODES", "https://api.diotec360.com");
  }

  @Test
  void everyNodeObjectIsLabelledAndControlledByItsNode() {
    NodePlan plan = plan();
    List<HasMetadata> owned =
        List.of(
            new NodeConfigMapDependent().build(node1, plan),
            StateClaimDependent.build(node1, plan),
            NodeDeploymentDependent.build(node1, plan),
            NodeServiceDependent.build(node1, plan));
    for (HasMetadata object : owned) {
      assertThat(object.getMetadata().getNamespace()).isEqualTo("lattice");
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "lattice-operator")
          .containsEntry("lattice.diotec360.com/lattice", "diotec360")
          .containsEntry("lattice.diotec360.com/node", "node1");
      assertThat(object.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getUid()).isEqualTo("uid-node1");
                assertThat(ref.getKind()).isEqualTo("LatticeNode");
                assertThat(ref.getApiVersion()).isEqualTo("lattice.diotec360.com/v1alpha1");
                assertThat(ref.getController()).isTrue();
              });
    }
  }

  @Test
  void deploymentIsOneRecreatedReplicaWithProbesAndARestrictedSecurityContext() {
    node1.getSpec().setSecretEnv(List.of(new SecretEnvVar("API_KEY", "api-secret", "key")));
    Deployment deployment = NodeDeploymentDependent.build(node1, plan());

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();

    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(OperatorConfig.DEFAULT_NODE_IMAGE);
    assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8000", "p2p:9000");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
    var sc = c.getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/var/lib/lattice", "/etc/lattice", "/tmp");
    assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("node1-config");

    Map<String, EnvVar> env =
        c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env).as("the extra peers come with the config, the lattice's with the file")
        .doesNotContainKey("DIOTEC360_LATTICE_NODES");
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("peer-list")).singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("diotec360-lattice-peers"));
    assertThat(env.get("DIOTEC360_LATTICE_SECRET").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("diotec360-lattice-secret");
    assertThat(env.get("API_KEY").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("key");
    assertThat(env.values()).allSatisfy(e -> assertThat(e.getValue()).isNull());
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(NodeDeploymentDependent.CONFIG_HASH_ANNOTATION);
  }

  @Test
  void configHashFollowsConfigButNotTheSyncModeWhichTheNodeTakesLive() {
    String before = hash(plan());
    SyncSpec sync = new SyncSpec();
    sync.setMode(com.diotec360.lattice.operator.api.v1alpha1.SyncMode.HTTP);
    node1.getSpec().setSync(sync);
    String afterModeSwitch = hash(plan());
    node1.getSpec().setEnvironment("staging");
    String afterConfigChange = hash(plan());

    assertThat(afterModeSwitch).as("a mode switch restarts nothing").isEqualTo(before);
    assertThat(afterConfigChange).isNotEqualTo(before);
    assertThat(new NodeConfigMapDependent().build(node1, plan()).getData())
        .as("a new pod still starts in the wanted mode").containsEntry("DIOTEC360_SYNC_MODE", "http");
  }

  @Test
  void hostnamesBecomeExternalDnsAnnotationsOnTheNodeService() {
    DnsSpec dns = new DnsSpec();
    dns.setHostnames(List.of("node1.diotec360.com", "api.diotec360.com"));
    node1.getSpec().setDns(dns);

    Service service = NodeServiceDependent.build(node1, plan());

    assertThat(service.getMetadata().getAnnotations())
        .containsEntry("external-dns.alpha.kubernetes.io/hostname", "node1.diotec360.com,api.diotec360.com")
        .containsEntry("external-dns.alpha.kubernetes.io/ttl", "60");
    assertThat(service.getSpec().getSelector()).containsEntry("lattice.diotec360.com/node", "node1");
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("http:8000", "p2p:9000");
  }

  @Test
  void aliasesBecomeExternalNameAndSelectorlessServicesWithAddresses() {
    DnsAlias api = alias("api", AliasType.CNAME);
    api.setTarget("diotec360-node1.hf.space");
    DnsAlias a = alias("node2", AliasType.A);
    a.setAddresses(List.of("203.0.113.10", "203.0.113.11"));
    a.setTtlSeconds(300);
    DnsSpec dns = new DnsSpec();
    dns.setAliases(List.of(api, a));
    node1.getSpec().setDns(dns);
    NodePlan plan = plan();

    var services = DnsAliasServicesDependent.build(node1, plan).values().stream()
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
    assertThat(services.get("api").getSpec().getType()).isEqualTo("ExternalName");
    assertThat(services.get("api").getSpec().getExternalName()).isEqualTo("diotec360-node1.hf.space");
    assertThat(services.get("api").getMetadata().getAnnotations())
        .containsEntry("external-dns.alpha.kubernetes.io/ttl", "60");
    assertThat(services.get("node2").getSpec().getClusterIP()).isEqualTo("None");
    assertThat(services.get("node2").getSpec().getSelector()).isNullOrEmpty();
    assertThat(services.get("node2").getMetadata().getAnnotations())
        .containsEntry("external-dns.alpha.kubernetes.io/ttl", "300");

    var slices = AliasEndpointSlicesDependent.build(node1, plan).values();
    assertThat(slices).singleElement().satisfies(slice -> {
      assertThat(slice.getMetadata().getName()).isEqualTo("node2-a");
      assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "node2");
      assertThat(slice.getAddressType()).isEqualTo("IPv4");
      assertThat(slice.getEndpoints()).flatExtracting(e -> e.getAddresses())
          .containsExactly("203.0.113.10", "203.0.113.11");
    });
  }

  @Test
  void theLatticesPeerListNamesEveryMemberAndEveryExternalMemberOnce() {
    var lattice = new com.diotec360.lattice.operator.api.v1alpha1.Lattice();
    lattice.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName("diotec360").withNamespace("lattice").withUid("uid-lattice").build());
    lattice.getSpec().setExternalMembers(List.of(
        new com.diotec360.lattice.operator.api.v1alpha1.ExternalMember(
            "node0", "https://diotec360-node1.hf.space", "genesis-public")));
    var plan = new com.diotec360.lattice.operator.plan.LatticePlan(lattice, List.of(node1, node2),
        com.diotec360.lattice.operator.plan.LatticeSettings.of(lattice, List.of(node1, node2), java.time.Duration.ofMinutes(10)));

    assertThat(plan.peers()).containsExactly(
        "http://node1.lattice.svc:8000", "http://node2.lattice.svc:8000", "https://diotec360-node1.hf.space");
    Service peers = LatticePeerServiceDependent.build(plan.name(), plan.namespace());
    assertThat(peers.getMetadata().getName()).isEqualTo("diotec360-peers");
    assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(peers.getSpec().getSelector()).containsExactly(Map.entry("lattice.diotec360.com/lattice", "diotec360"));
  }

  private static String hash(NodePlan plan) {
    return com.diotec360.lattice.operator.plan.NodeEnvironment.configHash(plan);
  }

  private static DnsAlias alias(String name, AliasType type) {
    DnsAlias alias = new DnsAlias();
    alias.setName(name);
    alias.setType(type);
    return alias;
  }
}
