package com.diotec360.lattice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.local.cli.ManifestLoader;
import com.diotec360.lattice.local.runtime.NodeProcessRuntime.ProcessEvent;
import com.diotec360.lattice.operator.api.v1alpha1.ExtraEnvVar;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeStatus;
import com.diotec360.lattice.operator.api.v1alpha1.RolloutStatus;
import com.diotec360.lattice.operator.api.v1alpha1.StorageSpec;
import com.diotec360.lattice.operator.api.v1alpha1.SyncMode;
import com.diotec360.lattice.operator.api.v1alpha1.SyncSpec;
import com.diotec360.lattice.operator.api.v1alpha1.P2PSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lattice-safe operations with real reference nodes: the runtime stands in for kubelet and
 * restarts a node process whenever its pod template changes, and records every start and stop.
 * The triangle example (three members) is rolled, blocked, paused, restarted, suspended and
 * deleted with its state kept.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LatticeOperationsIT {

  private static final String NS = "default";
  private static final String PUBLIC = "genesis-public";
  private static final String PRIMARY = "genesis-primary";
  private static final String BACKUP = "genesis-backup";
  private static final List<String> ALL = List.of(PUBLIC, PRIMARY, BACKUP);
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final Duration ROLL = Duration.ofSeconds(90);

  @TempDir static Path work;
  private static LocalLattice lattice;

  @BeforeAll
  static void start() throws Exception {
    Path nodeJar = Path.of(System.getProperty("lattice.nodeJar", "../node-image/target/lattice-node.jar"));
    lattice =
        LocalLattice.start(
            LocalLattice.Settings.anyPorts(work, nodeJar, NS).withRolloutDeadline(DEADLINE), m -> {});
    ManifestLoader loader = new ManifestLoader(lattice.client(), NS);
    try (InputStream in = LocalLatticeIT.example("triangle.yaml")) {
      loader.apply(loader.read(in, "triangle.yaml"));
    }
    awaitAll("the triangle runs, every member Consistent and up to date", Duration.ofSeconds(120),
        s -> "Running".equals(s.getPhase()) && "Consistent".equals(s.getConsistency())
            && s.getRollout() != null && RolloutStatus.UP_TO_DATE.equals(s.getRollout().getState()));
  }

  @AfterAll
  static void stop() {
    if (lattice != null) {
      lattice.close();
    }
  }

  @Test
  @Order(1)
  void oneBudgetCoversTheLattice() {
    PodDisruptionBudget budget =
        lattice.client().resources(PodDisruptionBudget.class).inNamespace(NS).withName("triangle-lattice-budget").get();
    assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(2));
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .containsEntry("lattice.diotec360.com/lattice", "triangle");
    assertThat(budget.getMetadata().getOwnerReferences()).as("the Lattice owns it, not its members")
        .extracting(o -> o.getKind() + "/" + o.getName()).containsExactly("Lattice/triangle");
  }

  @Test
  @Order(2)
  void anEnvChangeRestartsOneMemberAtATimeEachAfterThePreviousIsConsistentAgain() {
    int mark = lattice.runtime().history().size();
    for (String n : ALL) {
      edit(n, node -> node.getSpec().setEnv(new ArrayList<>(List.of(env("ROLL", "1")))));
    }
    awaitAll("every member restarted onto the new revision and is Consistent again", ROLL,
        s -> RolloutStatus.UP_TO_DATE.equals(s.getRollout().getState())
            && Objects.equals(s.getRollout().getRevision(), s.getRollout().getWantedRevision())
            && "Consistent".equals(s.getConsistency()));

    List<ProcessEvent> events = lattice.runtime().history().subList(mark, lattice.runtime().history().size());
    // Each member: exactly one stop and one start, the stop of the next after the previous member
    // was back (its rollout settled: Ready, answering and Consistent on the new revision).
    List<String> order = events.stream().filter(e -> !e.started()).map(ProcessEvent::name).toList();
    // The edits land one after the other, so the first edited member may go before the others
    // are even waiting: any order, but one restart each, started in the order stopped.
    assertThat(order).as("one restart per member").containsExactlyInAnyOrderElementsOf(ALL);
    assertThat(events.stream().filter(ProcessEvent::started).map(ProcessEvent::name).toList())
        .containsExactlyElementsOf(order);
    for (int i = 1; i < order.size(); i++) {
      Instant previousBack = Instant.parse(status(order.get(i - 1)).getRollout().getSince());
      Instant nextStopped = stopOf(events, order.get(i));
      Instant previousStarted = startOf(events, order.get(i - 1));
      System.out.printf("rollout: %s started %s, back (Consistent) %s; %s stopped %s%n",
          order.get(i - 1), previousStarted, previousBack, order.get(i), nextStopped);
      assertThat(nextStopped).as(order.get(i) + " stops only after " + order.get(i - 1) + " is back")
          .isAfter(previousBack);
      assertThat(previousBack).isAfter(previousStarted);
    }
    assertThat(eventsOf(PRIMARY, "RolloutRestart")).hasSize(1);
  }

  @Test
  @Order(3)
  void aDivergedMemberBlocksTheRolloutWhichIsStuckAfterTheDeadline() throws Exception {
    // The backup stops gossiping and polls once an hour: cut off from new entries.
    edit(BACKUP, n -> {
      SyncSpec sync = new SyncSpec();
      sync.setMode(SyncMode.HTTP);
      sync.setHttpPollIntervalSeconds(3600);
      P2PSpec p2p = new P2PSpec();
      p2p.setEnabled(false);
      sync.setP2p(p2p);
      n.getSpec().setSync(sync);
    });
    awaitStatus(BACKUP, "the isolated backup restarted and settled", ROLL,
        s -> RolloutStatus.UP_TO_DATE.equals(s.getRollout().getState())
            && Objects.equals(s.getRollout().getRevision(), s.getRollout().getWantedRevision())
            && "Consistent".equals(s.getConsistency()));
    // In auto mode the others would poll the backup over HTTP, as it has no P2P link to them (the
    // per-peer fallback that keeps every node in sync while one lung to it is open): forced to
    // P2P, they gossip only, so the backup is cut off for real. A switch restarts nobody.
    for (String gossiping : List.of(PUBLIC, PRIMARY)) {
      edit(gossiping, n -> {
        SyncSpec sync = new SyncSpec();
        sync.setMode(SyncMode.P2P);
        n.getSpec().setSync(sync);
      });
      await("the operator switched " + gossiping + " to P2P").atMost(Duration.ofSeconds(30))
          .until(() -> !eventsOf(gossiping, "SyncModeSwitched").isEmpty());
    }
    write(PUBLIC, "only-the-majority-sees-this");
    // Past the grace period: Diverged, or Behind once the operator's Merkle comparison shows it
    // only lacks the entry.
    awaitStatus(BACKUP, "the backup is Diverged", Duration.ofSeconds(60),
        s -> s.getDivergedSince() != null && List.of("Diverged", "Behind").contains(s.getConsistency()));

    int mark = lattice.runtime().history().size();
    edit(PRIMARY, n -> n.getSpec().setEnv(new ArrayList<>(List.of(env("ROLL", "2")))));
    edit(PUBLIC, n -> n.getSpec().setEnv(new ArrayList<>(List.of(env("ROLL", "2")))));

    awaitStatus(PRIMARY, "the first in line is stuck after the deadline", DEADLINE.plusSeconds(30),
        s -> RolloutStatus.STUCK.equals(s.getRollout().getState()));
    Condition stuck = condition(PRIMARY, "RolloutStuck");
    assertThat(stuck.getStatus()).isEqualTo("True");
    assertThat(stuck.getMessage())
        .contains("restarting genesis-primary now would leave 1 of 3 members Consistent")
        .contains("genesis-backup is Diverged");
    assertThat(status(PUBLIC).getRollout().getState()).isEqualTo(RolloutStatus.WAITING);
    assertThat(status(PUBLIC).getRollout().getMessage()).contains("waiting for genesis-primary to restart first");
    assertThat(eventsOf(PRIMARY, "RolloutStuck")).singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(eventsOf(PUBLIC, "RolloutStuck")).isEmpty();
    assertThat(lattice.runtime().history()).as("nobody restarted").hasSize(mark);

    // A person acts: the backup syncs again. It goes first (it is not Consistent), comes back,
    // and the held members follow one at a time.
    edit(BACKUP, n -> n.getSpec().setSync(null));
    awaitAll("the lattice is whole and up to date again", ROLL,
        s -> RolloutStatus.UP_TO_DATE.equals(s.getRollout().getState())
            && Objects.equals(s.getRollout().getRevision(), s.getRollout().getWantedRevision())
            && "Consistent".equals(s.getConsistency()));
    assertThat(condition(PRIMARY, "RolloutStuck").getStatus()).isEqualTo("False");
    List<String> stops = lattice.runtime().history().subList(mark, lattice.runtime().history().size())
        .stream().filter(e -> !e.started()).map(ProcessEvent::name).toList();
    assertThat(stops).containsExactly(BACKUP, PRIMARY, PUBLIC);
  }

  @Test
  @Order(4)
  void aPausedNodeIsLeftAsItIsButStillWatched() throws Exception {
    int mark = lattice.runtime().history().size();
    String revision = deployment(PUBLIC).getMetadata().getAnnotations().get("lattice.diotec360.com/revision");
    annotate(PUBLIC, LatticeNode.PAUSED_ANNOTATION, "true");
    awaitStatus(PUBLIC, "paused", Duration.ofSeconds(20),
        s -> "True".equals(conditionOf(s, "ReconciliationPaused").getStatus()));
    edit(PUBLIC, n -> n.getSpec().setEnv(new ArrayList<>(List.of(env("ROLL", "3")))));
    long before = status(PUBLIC).getVersion();
    write(PRIMARY, "seen-while-paused");
    // A version is a moving value: the operator writes it at most once per its status refresh
    // interval (60 s by default), so the new one may take that long to be reported.
    awaitStatus(PUBLIC, "the paused node is still probed and reported", ROLL,
        s -> s.getVersion() == before + 1 && RolloutStatus.PAUSED.equals(s.getRollout().getState()));
    assertThat(deployment(PUBLIC).getMetadata().getAnnotations())
        .containsEntry("lattice.diotec360.com/revision", revision);
    assertThat(lattice.runtime().history()).hasSize(mark);

    annotate(PUBLIC, LatticeNode.PAUSED_ANNOTATION, null);
    awaitStatus(PUBLIC, "resumed: the held change rolls", ROLL,
        s -> RolloutStatus.UP_TO_DATE.equals(s.getRollout().getState())
            && Objects.equals(s.getRollout().getRevision(), s.getRollout().getWantedRevision())
            && !Objects.equals(s.getRollout().getRevision(), revision));
    assertThat(condition(PUBLIC, "ReconciliationPaused").getStatus()).isEqualTo("False");
  }

  @Test
  @Order(5)
  void theRestartAnnotationRestartsOncePerValue() {
    int mark = lattice.runtime().history().size();
    annotate(PRIMARY, LatticeNode.RESTART_ANNOTATION, "first");
    await("one restart").atMost(ROLL).pollInterval(Duration.ofMillis(300))
        .until(() -> restartsSince(mark, PRIMARY) == 1
            && RolloutStatus.UP_TO_DATE.equals(status(PRIMARY).getRollout().getState()));
    annotate(PRIMARY, LatticeNode.RESTART_ANNOTATION, "first");
    edit(PRIMARY, n -> n.getMetadata().getLabels()); // no-op edit: nothing changes
    await("the same value restarts nothing").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
        .until(() -> restartsSince(mark, PRIMARY) == 1);
    annotate(PRIMARY, LatticeNode.RESTART_ANNOTATION, "second");
    await("a new value restarts once more").atMost(ROLL).pollInterval(Duration.ofMillis(300))
        .until(() -> restartsSince(mark, PRIMARY) == 2);
    assertThat(restartsSince(mark, PUBLIC) + restartsSince(mark, BACKUP)).isZero();
  }

  @Test
  @Order(6)
  void suspendKeepsEverythingButThePodAndNeverAMajority() {
    edit(BACKUP, n -> n.getSpec().setSuspend(true));
    await("the backup's process stops").atMost(Duration.ofSeconds(30))
        .until(() -> !lattice.runtime().isRunning(NS, BACKUP));
    awaitStatus(BACKUP, "phase Suspended", Duration.ofSeconds(20), s -> "Suspended".equals(s.getPhase()));
    var c = lattice.client();
    assertThat(c.resources(PersistentVolumeClaim.class).inNamespace(NS).withName(BACKUP + "-state").get()).isNotNull();
    assertThat(c.resources(Service.class).inNamespace(NS).withName(BACKUP).get()).isNotNull();
    assertThat(c.resources(ConfigMap.class).inNamespace(NS).withName(BACKUP + "-config").get()).isNotNull();
    assertThat(deployment(BACKUP).getSpec().getReplicas()).isZero();
    assertThat(c.resources(com.diotec360.lattice.operator.api.v1alpha1.Lattice.class).inNamespace(NS)
        .withName("triangle").get().getStatus().getMembers()).as("still a member").isEqualTo(3);
    assertThat(condition(BACKUP, "Reachable").getReason()).isEqualTo("Suspended");
    assertThat(eventsOf(BACKUP, "NodeUnreachable")).isEmpty();

    edit(PUBLIC, n -> n.getSpec().setSuspend(true));
    awaitStatus(PUBLIC, "a second suspend is refused", Duration.ofSeconds(20),
        s -> "Invalid".equals(s.getPhase()));
    assertThat(condition(PUBLIC, "Ready").getMessage())
        .contains("lattice 'triangle' has 3 members and keeps at least 2 of them running")
        .contains("'genesis-backup' is suspended already");
    assertThat(lattice.runtime().isRunning(NS, PUBLIC)).as("the refused node keeps running").isTrue();

    edit(PUBLIC, n -> n.getSpec().setSuspend(null));
    edit(BACKUP, n -> n.getSpec().setSuspend(null));
    awaitAll("everyone runs and is Consistent again", ROLL,
        s -> "Running".equals(s.getPhase()) && "Consistent".equals(s.getConsistency())
            && RolloutStatus.UP_TO_DATE.equals(s.getRollout().getState()));
  }

  @Test
  @Order(7)
  void aRetainedClaimOutlivesItsNodeAndIsTakenOverByTheNext() {
    edit(BACKUP, n -> {
      StorageSpec storage = new StorageSpec();
      storage.setRetainOnDelete(true);
      n.getSpec().setStorage(storage);
    });
    var claims = lattice.client().resources(PersistentVolumeClaim.class).inNamespace(NS);
    await("the claim loses its owner").atMost(Duration.ofSeconds(30))
        .until(() -> claims.withName(BACKUP + "-state").get().getMetadata().getOwnerReferences().isEmpty());
    String claimUid = claims.withName(BACKUP + "-state").get().getMetadata().getUid();

    lattice.client().resources(LatticeNode.class).inNamespace(NS).withName(BACKUP).delete();
    await("the node's other objects are collected").atMost(Duration.ofSeconds(60))
        .until(() -> lattice.client().resources(Deployment.class).inNamespace(NS).withName(BACKUP).get() == null
            && lattice.client().resources(Service.class).inNamespace(NS).withName(BACKUP).get() == null);
    assertThat(claims.withName(BACKUP + "-state").get()).as("the claim is kept").isNotNull();

    LatticeNode again = new LatticeNode();
    again.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(BACKUP).withNamespace(NS).build());
    again.setSpec(new com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec());
    again.getSpec().setLattice("triangle");
    again.getSpec().setRole("genesis-backup");
    String newUid = lattice.client().resource(again).create().getMetadata().getUid();
    await("the new node takes the claim over").atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(claims.withName(BACKUP + "-state").get().getMetadata().getOwnerReferences())
            .singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo(newUid)));
    assertThat(claims.withName(BACKUP + "-state").get().getMetadata().getUid()).isEqualTo(claimUid);
  }

  // ---------------------------------------------------------------------------------------------

  private static ExtraEnvVar env(String name, String value) {
    ExtraEnvVar v = new ExtraEnvVar();
    v.setName(name);
    v.setValue(value);
    return v;
  }

  private static void edit(String name, Consumer<LatticeNode> change) {
    com.diotec360.lattice.operator.support.Edits.edit(
        lattice.client().resources(LatticeNode.class).inNamespace(NS).withName(name), n -> {
          change.accept(n);
          return n;
        });
  }

  private static void annotate(String name, String key, String value) {
    edit(name, n -> {
      Map<String, String> annotations = new java.util.HashMap<>(
          Objects.requireNonNullElse(n.getMetadata().getAnnotations(), Map.of()));
      if (value == null) {
        annotations.remove(key);
      } else {
        annotations.put(key, value);
      }
      n.getMetadata().setAnnotations(annotations);
    });
  }

  private static LatticeNodeStatus status(String name) {
    LatticeNode n = lattice.client().resources(LatticeNode.class).inNamespace(NS).withName(name).get();
    return n == null || n.getStatus() == null ? new LatticeNodeStatus() : n.getStatus();
  }

  private static Deployment deployment(String name) {
    return lattice.client().resources(Deployment.class).inNamespace(NS).withName(name).get();
  }

  private static Condition condition(String name, String type) {
    return conditionOf(status(name), type);
  }

  private static Condition conditionOf(LatticeNodeStatus status, String type) {
    return Objects.requireNonNullElse(status.getConditions(), List.<Condition>of()).stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(new Condition());
  }

  private static void awaitStatus(String name, String what, Duration within, Predicate<LatticeNodeStatus> ok) {
    await(name + ": " + what).atMost(within).pollInterval(Duration.ofMillis(300))
        .until(() -> {
          LatticeNodeStatus s = status(name);
          return s.getRollout() != null && ok.test(s);
        });
  }

  private static void awaitAll(String what, Duration within, Predicate<LatticeNodeStatus> ok) {
    await(what).atMost(within).pollInterval(Duration.ofMillis(300))
        .until(() -> ALL.stream().map(LatticeOperationsIT::status)
            .allMatch(s -> s.getRollout() != null && ok.test(s)));
  }

  private static List<Event> eventsOf(String node, String reason) {
    return lattice.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> node.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .toList();
  }

  private static Instant stopOf(List<ProcessEvent> events, String name) {
    return events.stream().filter(e -> !e.started() && e.name().equals(name)).findFirst().orElseThrow().at();
  }

  private static Instant startOf(List<ProcessEvent> events, String name) {
    return events.stream().filter(e -> e.started() && e.name().equals(name)).findFirst().orElseThrow().at();
  }

  private static long restartsSince(int mark, String name) {
    List<ProcessEvent> all = lattice.runtime().history();
    return all.subList(mark, all.size()).stream().filter(e -> !e.started() && e.name().equals(name)).count();
  }

  private static void write(String node, String data) throws Exception {
    lattice.write(NS, node, data);
  }
}
