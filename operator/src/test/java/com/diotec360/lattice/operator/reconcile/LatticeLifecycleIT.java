package com.diotec360.lattice.operator.reconcile;

import com.diotec360.lattice.operator.act.DeploymentRevisions;
import com.diotec360.lattice.operator.status.StatusAggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.v1alpha1.ExternalMember;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LogLevel;
import com.diotec360.lattice.operator.api.v1alpha1.SyncMode;
import com.diotec360.lattice.operator.api.v1alpha1.SyncSpec;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.status.Conditions;
import com.diotec360.lattice.operator.status.LatticeStatusAggregator;
import com.diotec360.lattice.operator.support.DeploymentControllerStandIn;
import com.diotec360.lattice.operator.support.Edits;
import com.diotec360.lattice.operator.support.Nodes;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}): the Lattice as a resource of its own.
 * Who makes and removes it, what deleting it does to its members (nothing), how an invalid one
 * stops its members, and that lattice-wide decisions (the restart turn) live in its status, so a
 * new operator continues them.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class LatticeLifecycleIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ROOT = "5df3daee3a0ca23c388a16c3db2c2388".repeat(2);

  private RealApi api;
  private RealApiOperator operator;
  /** The mode each node runs in, as the fake node client was told by the operator's switch call. */
  private final Map<String, String> modes = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aLatticeTheOperatorMadeGoesWithItsLastMemberOneAPersonMadeStays(RealApi api) {
    start(api);
    client().resource(Nodes.toCreate("solo", api.namespace(), "made")).create();
    Lattice made = await().atMost(WAIT).until(() -> lattice("made"), l -> l != null && l.getStatus() != null);
    assertThat(made.madeByOperator()).isTrue();
    assertThat(made.getMetadata().getFinalizers()).as("held while members remain").isNotEmpty();

    client().resource(lattice("kept", Map.of())).create();
    client().resource(Nodes.toCreate("tenant", api.namespace(), "kept")).create();
    await().atMost(WAIT).until(() -> lattice("kept").getStatus() != null && lattice("kept").getStatus().getMembers() == 1);

    client().resources(LatticeNode.class).withName("solo").delete();
    client().resources(LatticeNode.class).withName("tenant").delete();
    await().atMost(WAIT).until(() -> lattice("made") == null);
    await().during(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> {
      assertThat(lattice("kept")).as("a Lattice a person made is never removed by the operator").isNotNull();
      assertThat(lattice("kept").getStatus().getMembers()).isZero();
    });
  }

  @Test
  void deletingALatticeWithMembersNeverDeletesThemItWaitsForThem(RealApi api) {
    start(api);
    client().resource(lattice("held", Map.of())).create();
    IntStream.range(0, 2).forEach(i -> client().resource(Nodes.toCreate("h" + i, api.namespace(), "held")).create());
    await().atMost(WAIT).until(() -> lattice("held").getStatus() != null && lattice("held").getStatus().getMembers() == 2);

    client().resources(Lattice.class).withName("held").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      Lattice deleting = lattice("held");
      assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
      var condition = Conditions.find(deleting.getStatus().getConditions(), LatticeStatusAggregator.DELETING).orElseThrow();
      assertThat(condition.getStatus()).isEqualTo("True");
      assertThat(condition.getReason()).isEqualTo("MembersRemain");
      assertThat(condition.getMessage()).contains("Members left: h0, h1").contains("never deletes them");
    });
    await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
        assertThat(events("held", "MembersRemain")).singleElement()
            .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));
    assertThat(client().resources(LatticeNode.class).list().getItems()).hasSize(2);

    client().resources(LatticeNode.class).withName("h0").delete();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(Conditions.find(lattice("held").getStatus().getConditions(), LatticeStatusAggregator.DELETING)
            .orElseThrow().getMessage()).contains("Members left: h1"));
    client().resources(LatticeNode.class).withName("h1").delete();
    await().atMost(WAIT).until(() -> lattice("held") == null);
  }

  @Test
  void anInvalidLatticeMakesItsMembersInvalidWithItsMessage(RealApi api) {
    start(api);
    client().resource(lattice("clash", Map.of())).create();
    client().resource(Nodes.toCreate("node1", api.namespace(), "clash")).create();
    await().atMost(WAIT).until(() -> node("node1").getStatus() != null
        && !"Invalid".equals(node("node1").getStatus().getPhase()));

    edit("clash", l -> {
      l.getSpec().setExternalMembers(List.of(new ExternalMember("node1", "https://node1.example.com", "genesis-public")));
      return l;
    });

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(lattice("clash").getStatus().getPhase()).isEqualTo("Invalid");
      var ready = Conditions.find(node("node1").getStatus().getConditions(), StatusAggregator.READY).orElseThrow();
      assertThat(node("node1").getStatus().getPhase()).isEqualTo("Invalid");
      assertThat(ready.getMessage())
          .contains("Lattice 'clash' cannot be applied")
          .contains("spec.externalMembers[0].name 'node1' is the name of LatticeNode 'node1'");
    });
  }

  @Test
  void theSchemaRefusesWhatItCanSee(RealApi api) {
    var twice = lattice("twice", Map.of());
    twice.getSpec().setExternalMembers(List.of(
        new ExternalMember("outside", "https://a.example.com", "genesis-public"),
        new ExternalMember("outside", "https://b.example.com", "genesis-public")));
    assertThatThrownBy(() -> api.client().resource(twice).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("externalMembers: each name may appear once");

    var ftp = lattice("ftp", Map.of());
    ftp.getSpec().setExternalMembers(List.of(new ExternalMember("outside", "ftp://a.example.com", "genesis-public")));
    assertThatThrownBy(() -> api.client().resource(ftp).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.externalMembers[0].url");

    var tlsOverHttp = lattice("plain", Map.of());
    ExternalMember plain = new ExternalMember("outside", "http://a.example.com", "genesis-public");
    plain.setTls(new com.diotec360.lattice.operator.api.v1alpha1.ExternalMemberTls("outside-ca"));
    tlsOverHttp.getSpec().setExternalMembers(List.of(plain));
    assertThatThrownBy(() -> api.client().resource(tlsOverHttp).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("tls applies to an https url only");
  }

  @Test
  void aSyncModeSwitchRestartsNothingAndTheNodeIsSwitchedLive(RealApi api) {
    start(api);
    try (var controller = DeploymentControllerStandIn.start(client(), api.namespace())) {
      client().resource(Nodes.toCreate("switched", api.namespace(), "modes")).create();
      await().atMost(WAIT).until(() -> node("switched").getStatus() != null
          && "UpToDate".equals(node("switched").getStatus().getRollout().getState()));
      String revision = DeploymentRevisions.revisionOf(client().apps().deployments().withName("switched").get());

      Edits.edit(client().resources(LatticeNode.class).withName("switched"), n -> {
        SyncSpec sync = new SyncSpec();
        sync.setMode(SyncMode.HTTP);
        n.getSpec().setSync(sync);
        return n;
      });

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(modes).containsEntry("switched", "http");
        assertThat(client().configMaps().withName("switched-config").get().getData())
            .as("a new pod would start in it").containsEntry("DIOTEC360_SYNC_MODE", "http");
      });
      await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
          assertThat(DeploymentRevisions.revisionOf(client().apps().deployments().withName("switched").get()))
              .as("the pod template is unchanged: no restart").isEqualTo(revision));
    }
  }

  @Test
  void aNewOperatorContinuesTheRestartTurnTheLatticeKeeps(RealApi api) {
    start(api);
    try (var controller = DeploymentControllerStandIn.start(client(), api.namespace())) {
      IntStream.range(0, 3).forEach(i -> client().resource(Nodes.toCreate("r" + i, api.namespace(), "rolled")).create());
      await().atMost(WAIT).until(() -> client().resources(LatticeNode.class).list().getItems().stream()
          .allMatch(n -> n.getStatus() != null && "UpToDate".equals(n.getStatus().getRollout().getState())));

      // Every member wants a new revision; the lattice gives the turn to one.
      for (int i = 0; i < 3; i++) {
        Edits.edit(client().resources(LatticeNode.class).withName("r" + i), n -> {
          n.getSpec().setLogLevel(LogLevel.DEBUG);
          return n;
        });
      }
      String first = await().atMost(WAIT).until(() -> restarting("rolled"), r -> r.size() == 1).get(0);

      // A new leader: it reads the turn from the Lattice's status and keeps it until that member
      // is back, then gives the next.
      operator.close();
      operator = null;
      start(api);
      await().atMost(Duration.ofSeconds(60)).until(() -> client().resources(LatticeNode.class).list().getItems().stream()
          .allMatch(n -> n.getStatus() != null && "UpToDate".equals(n.getStatus().getRollout().getState())
              && n.getStatus().getRollout().getRevision().equals(n.getStatus().getRollout().getWantedRevision())));
      assertThat(first).isIn("r0", "r1", "r2");
      // The Lattice hears of the last member's return after that member wrote it.
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(lattice("rolled").getStatus().getRollout()).as("nobody waits any more").isNull());
    }
  }

  /**
   * A lattice Secret made in advance (the token shared by two clusters) without the operator's
   * labels is invisible to its informer, so the create fails with AlreadyExists. The Lattice says
   * which object, why, and the command that hands it over; after that command the operator adopts
   * it and keeps its token.
   */
  @Test
  void aLatticeSecretMadeWithoutTheLabelsIsNamedWithTheCommandThatHandsItOver(RealApi api) {
    start(api);
    String token = Base64.getEncoder().encodeToString("made-in-advance".getBytes(StandardCharsets.UTF_8));
    client().resource(new SecretBuilder().withNewMetadata().withName("pre-lattice-secret").endMetadata()
        .addToData("token", token).build()).create();
    client().resource(Nodes.toCreate("pre0", api.namespace(), "pre")).create();

    String message = await().atMost(WAIT).until(() -> readyMessage("pre"),
        m -> m != null && m.contains("pre-lattice-secret"));
    assertThat(message)
        .startsWith("writing the lattice Secret: secret 'pre-lattice-secret' already exists but lacks the operator's labels")
        .contains("kubectl label secret pre-lattice-secret -n " + api.namespace() + " ")
        .doesNotContain(token).doesNotContain("made-in-advance");
    await().atMost(WAIT).untilAsserted(() -> assertThat(events("pre", "ReconcileError")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo(message)));

    // The command in the message, as a person would paste it.
    Matcher command = Pattern.compile("kubectl label secret pre-lattice-secret -n \\S+((?: [^ =;]+=[^ ;]+)+)").matcher(message);
    assertThat(command.find()).as("a kubectl label command in: " + message).isTrue();
    Map<String, String> labels = new java.util.HashMap<>();
    for (String label : command.group(1).trim().split(" ")) {
      labels.put(label.substring(0, label.indexOf('=')), label.substring(label.indexOf('=') + 1));
    }
    client().secrets().withName("pre-lattice-secret").edit(s -> {
      s.getMetadata().setLabels(labels);
      return s;
    });

    await().atMost(WAIT).untilAsserted(() -> {
      Secret adopted = client().secrets().withName("pre-lattice-secret").get();
      assertThat(adopted.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo("pre"));
      assertThat(adopted.getData()).containsEntry("token", token);
      assertThat(readyMessage("pre")).doesNotContain("already exists");
    });
  }

  private void start(RealApi api) {
    this.api = api;
    NodeClient nodes = new NodeClient() {
      @Override
      public NodeObservation probe(String baseUrl) {
        String node = baseUrl.substring("http://".length());
        String mode = modes.getOrDefault(node, "auto");
        return new NodeObservation(true, null, ROOT, 7, mode.equals("http") ? "HTTP" : "P2P", mode, Instant.EPOCH, 2);
      }

      @Override
      public void switchMode(String baseUrl, String mode, String token) {
        modes.put(baseUrl.substring("http://".length()), mode);
      }
    };
    operator = RealApiOperator.start(api, false, Map.of(), (client, config) ->
        LatticeOperator.create(client, config.withWatchTimings(Duration.ofSeconds(1), 2, Duration.ofSeconds(5)),
            RuntimeConfig.defaults(), Clock.systemUTC(), (node, ns) -> "http://" + node,
            new SimpleMeterRegistry(), nodes));
  }

  private List<String> restarting(String lattice) {
    Lattice l = lattice(lattice);
    return l == null || l.getStatus() == null || l.getStatus().getRollout() == null
        ? List.of()
        : l.getStatus().getRollout().restartingOrNone();
  }

  private KubernetesClient client() {
    return api.client();
  }

  private String readyMessage(String lattice) {
    Lattice l = lattice(lattice);
    return l == null || l.getStatus() == null ? null
        : Conditions.find(l.getStatus().getConditions(), LatticeStatusAggregator.READY).map(c -> c.getMessage()).orElse(null);
  }

  private Lattice lattice(String name) {
    return client().resources(Lattice.class).withName(name).get();
  }

  private LatticeNode node(String name) {
    return client().resources(LatticeNode.class).withName(name).get();
  }

  private void edit(String lattice, UnaryOperator<Lattice> change) {
    Edits.edit(client().resources(Lattice.class).withName(lattice), change);
  }

  private Lattice lattice(String name, Map<String, String> labels) {
    Lattice l = new Lattice();
    l.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build());
    return l;
  }

  private List<Event> events(String object, String reason) {
    return client().v1().events().list().getItems().stream()
        .filter(e -> object.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .toList();
  }
}
