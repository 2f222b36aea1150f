package com.diotec360.lattice.operator.upgrade;

import com.diotec360.lattice.operator.act.DeploymentRevisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.diotec360.lattice.operator.LatticeOperator;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.RuntimeConfig;
import com.diotec360.lattice.operator.observe.NodeClient;
import com.diotec360.lattice.operator.observe.NodeObservation;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.support.DeploymentControllerStandIn;
import com.diotec360.lattice.operator.support.OperatorHarness;
import com.diotec360.lattice.operator.support.RealApiOperator;
import com.diotec360.lattice.realapi.RealApi;
import com.diotec360.lattice.realapi.RealApiTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Server: the real kube-apiserver ({@code @RealApiTest}). A namespace holding exactly what the 0.1.0
 * operator left there ({@code testdata/release-0.1.0}: two lattices, a peer list per member, the
 * shared Secret, peers Service and budget owned by every member) is taken over by this operator:
 *
 * <ul>
 *   <li>each lattice gets its Lattice, which adopts the shared objects (its controller reference
 *       replaces the members'); the Secret keeps its token;
 *   <li>each member moves to the lattice's one peer list with one new pod-template revision, one
 *       member of a lattice at a time; its old peer list is deleted only once its Deployment no
 *       longer refers to it, so no member is ever without a peer list;
 *   <li>the members' statuses lose what 0.1.0 wrote of the lattice ({@code lattice}, {@code
 *       peers}).
 * </ul>
 *
 * The Deployment controller is stood in for (every new revision rolls out at once), and every node
 * answers on one root, so the roller may restart a member whenever its lattice can spare it.
 */
@RealApiTest(crds = {RealApiOperator.CRD, RealApiOperator.LATTICE_CRD})
class UpgradeFrom010IT {

  private static final Path RECORDED = OperatorHarness.repoRoot().resolve("testdata/release-0.1.0");
  private static final String RECORDED_NAMESPACE = "release-ns";
  private static final String ROOT = "5df3daee3a0ca23c388a16c3db2c2388".repeat(2);
  private static final Map<String, String> LATTICE_OF = Map.of(
      "node1-huggingface", "diotec360", "node2-local", "diotec360",
      "genesis-public", "triangle", "genesis-primary", "triangle", "genesis-backup", "triangle");

  @Test
  void aNamespaceOf010IsTakenOverWithOneRestartPerMemberAndNoMomentWithoutAPeerList(RealApi api)
      throws IOException {
    KubernetesClient client = api.client();
    String ns = api.namespace();
    Map<String, String> tokens = restore(client, ns);
    History history = History.watch(client, ns);

    try (DeploymentControllerStandIn controller = DeploymentControllerStandIn.start(client, ns);
        RealApiOperator operator = RealApiOperator.start(api, false, Map.of(), (c, config) ->
            LatticeOperator.create(c, config.withWatchTimings(Duration.ofSeconds(1), 2, Duration.ofSeconds(5)),
                RuntimeConfig.defaults(), Clock.systemUTC(), (node, namespace) -> "http://" + node,
                new SimpleMeterRegistry(), answeringOnOneRoot()))) {
      await("every member on its lattice's peer list, old lists gone").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            for (Deployment d : client.apps().deployments().inNamespace(ns).list().getItems()) {
              String lattice = LATTICE_OF.get(d.getMetadata().getName());
              assertThat(peerListOf(d)).as(d.getMetadata().getName()).isEqualTo(ResourceNames.latticePeerList(lattice));
            }
            assertThat(client.configMaps().inNamespace(ns).list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .noneMatch(name -> name.endsWith("-peer-list"));
            for (LatticeNode n : client.resources(LatticeNode.class).inNamespace(ns).list().getItems()) {
              assertThat(n.getStatus().getRollout().getState()).as(n.getMetadata().getName()).isEqualTo("UpToDate");
            }
          });
    } finally {
      history.close();
    }

    for (String lattice : List.of("diotec360", "triangle")) {
      Lattice made = client.resources(Lattice.class).inNamespace(ns).withName(lattice).get();
      assertThat(made).as("Lattice " + lattice).isNotNull();
      assertThat(made.madeByOperator()).isTrue();
      for (HasMetadata shared : List.of(
          client.secrets().inNamespace(ns).withName(ResourceNames.latticeSecret(lattice)).get(),
          client.services().inNamespace(ns).withName(ResourceNames.latticePeerService(lattice)).get(),
          client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(ResourceNames.disruptionBudget(lattice)).get(),
          client.configMaps().inNamespace(ns).withName(ResourceNames.latticePeerList(lattice)).get())) {
        assertThat(shared.getMetadata().getOwnerReferences())
            .as(shared.getKind() + " " + shared.getMetadata().getName() + " has one owner, its Lattice")
            .singleElement()
            .satisfies(o -> {
              assertThat(o.getKind()).isEqualTo("Lattice");
              assertThat(o.getUid()).isEqualTo(made.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
      }
      assertThat(client.secrets().inNamespace(ns).withName(ResourceNames.latticeSecret(lattice)).get().getData())
          .as("the lattice keeps its token").isEqualTo(Map.of("token", tokens.get(lattice)));
    }
    for (LatticeNode n : client.resources(LatticeNode.class).inNamespace(ns).list().getItems()) {
      String json = Serialization.asJson(client.genericKubernetesResources(n.getApiVersion(), n.getKind())
          .inNamespace(ns).withName(n.getMetadata().getName()).get().getAdditionalProperties().get("status"));
      assertThat(json).as("what 0.1.0 wrote of the lattice is gone from " + n.getMetadata().getName())
          .doesNotContain("\"lattice\"").doesNotContain("\"peers\"");
    }

    List<History.Event> events = history.events();
    history.revisionsPerDeployment().forEach((name, revisions) ->
        assertThat(revisions).as(name + ": the revisions its pod template went through").hasSize(2));
    history.assertNeverWithoutPeerList();
    history.assertOneMemberAtATimePerLattice(LATTICE_OF);
    System.out.printf("upgrade from 0.1.0: %d Deployment and ConfigMap changes, in order:%n%s%n",
        events.size(), events.stream().map(History.Event::toString).collect(Collectors.joining("\n")));
  }

  /** Creates the recorded objects in {@code ns}; returns each lattice's recorded token. */
  private static Map<String, String> restore(KubernetesClient client, String ns) throws IOException {
    Map<String, String> uids = new HashMap<>();
    for (LatticeNode node : load("latticenodes.json", ns, LatticeNode.class)) {
      var status = node.getStatus();
      node.setStatus(null);
      LatticeNode created = client.resource(node).create();
      uids.put("LatticeNode/" + node.getMetadata().getName(), created.getMetadata().getUid());
      // The recorded status, as 0.1.0 wrote it (with its "lattice" and "peers"), byte for byte.
      GenericKubernetesResource raw = client.genericKubernetesResources(node.getApiVersion(), node.getKind())
          .inNamespace(ns).withName(node.getMetadata().getName()).get();
      raw.getAdditionalProperties().put("status", rawStatus(node.getMetadata().getName(), ns));
      client.genericKubernetesResources(node.getApiVersion(), node.getKind()).inNamespace(ns)
          .resource(raw).updateStatus();
      assertThat(status).isNotNull();
    }
    Map<String, String> tokens = new HashMap<>();
    for (Secret s : load("secrets.json", ns, Secret.class)) {
      tokens.put(s.getMetadata().getLabels().get("lattice.diotec360.com/lattice"), s.getData().get("token"));
      create(client, s, uids);
    }
    for (Class<? extends HasMetadata> kind : List.of(ConfigMap.class, PersistentVolumeClaim.class,
        Service.class, EndpointSlice.class, PodDisruptionBudget.class, Deployment.class)) {
      for (HasMetadata o : load(file(kind), ns, kind)) {
        if (o instanceof Service svc && !"None".equals(svc.getSpec().getClusterIP())) {
          svc.getSpec().setClusterIP(null);
          svc.getSpec().setClusterIPs(null);
        }
        create(client, o, uids);
      }
    }
    return tokens;
  }

  private static Object rawStatus(String name, String ns) throws IOException {
    String text = Files.readString(RECORDED.resolve("latticenodes.json")).replace(RECORDED_NAMESPACE, ns);
    for (var item : Serialization.jsonMapper().readTree(text).path("items")) {
      if (name.equals(item.at("/metadata/name").asText())) {
        return Serialization.jsonMapper().convertValue(item.path("status"), Map.class);
      }
    }
    throw new IllegalStateException("no recorded status of " + name);
  }

  private static void create(KubernetesClient client, HasMetadata o, Map<String, String> uids) {
    List<OwnerReference> owners = Objects.requireNonNullElse(o.getMetadata().getOwnerReferences(), List.of());
    for (OwnerReference owner : owners) {
      owner.setUid(Objects.requireNonNull(uids.get(owner.getKind() + "/" + owner.getName()),
          "recorded owner " + owner.getKind() + "/" + owner.getName()));
    }
    Object status = null;
    if (o instanceof Deployment d) {
      status = d.getStatus();
      d.setStatus(null);
    }
    HasMetadata created = client.resource(o).create();
    if (created instanceof Deployment d && status != null) {
      d.setStatus((io.fabric8.kubernetes.api.model.apps.DeploymentStatus) status);
      d.getStatus().setObservedGeneration(d.getMetadata().getGeneration());
      client.resource(d).updateStatus();
    }
  }

  private static <T extends HasMetadata> List<T> load(String file, String ns, Class<T> kind) throws IOException {
    String text = Files.readString(RECORDED.resolve(file)).replace(RECORDED_NAMESPACE, ns);
    KubernetesList list = Serialization.unmarshal(text, KubernetesList.class);
    List<T> items = new ArrayList<>();
    for (HasMetadata item : list.getItems()) {
      T typed = Serialization.jsonMapper().convertValue(item, kind);
      var meta = typed.getMetadata();
      meta.setUid(null);
      meta.setResourceVersion(null);
      meta.setCreationTimestamp(null);
      meta.setManagedFields(null);
      meta.setGeneration(null);
      items.add(typed);
    }
    return items;
  }

  private static String file(Class<? extends HasMetadata> kind) {
    return HasMetadata.getPlural(kind) + ".json";
  }

  private static NodeClient answeringOnOneRoot() {
    return new NodeClient() {
      @Override
      public NodeObservation probe(String baseUrl) {
        return new NodeObservation(true, null, ROOT, 7, "P2P", "auto", Instant.parse("2026-12-07T08:00:00Z"), 2);
      }

      @Override
      public void switchMode(String baseUrl, String mode, String token) {}
    };
  }

  /** The ConfigMap a Deployment's peer-list volume refers to, or null. */
  static String peerListOf(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> "peer-list".equals(v.getName()) && v.getConfigMap() != null)
        .map(v -> v.getConfigMap().getName())
        .findFirst()
        .orElse(null);
  }

  /**
   * Every change of the namespace's Deployments and ConfigMaps, in the API server's own order (by
   * resourceVersion, etcd's one revision counter).
   */
  static final class History implements AutoCloseable {

    /**
     * One change. {@code podRevision}: a Deployment's pod-template revision, or the revision a
     * LatticeNode was last seen Ready and Consistent on ({@code status.rollout.settledRevision}).
     */
    record Event(long revision, String action, String kind, String name, String peerList, String podRevision) {
      @Override
      public String toString() {
        return revision + " " + action + " " + kind + "/" + name
            + (kind.equals("Deployment") ? " peer list " + peerList + ", revision " + podRevision : "")
            + (kind.equals("LatticeNode") ? " settled on " + podRevision : "");
      }
    }

    private final ConcurrentSkipListMap<Long, Event> events = new ConcurrentSkipListMap<>();
    private final List<Watch> watches = new ArrayList<>();

    static History watch(KubernetesClient client, String ns) {
      History h = new History();
      h.watches.add(client.apps().deployments().inNamespace(ns).watch(h.watcher()));
      h.watches.add(client.configMaps().inNamespace(ns).watch(h.watcher()));
      h.watches.add(client.resources(LatticeNode.class).inNamespace(ns).watch(h.watcher()));
      return h;
    }

    private <T extends HasMetadata> Watcher<T> watcher() {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T o) {
          long rv = Long.parseLong(o.getMetadata().getResourceVersion());
          String peerList = o instanceof Deployment d ? peerListOf(d) : null;
          String revision = o instanceof Deployment d ? DeploymentRevisions.revisionOf(d)
              : o instanceof LatticeNode n && n.getStatus() != null && n.getStatus().getRollout() != null
                  ? n.getStatus().getRollout().getSettledRevision() : null;
          events.put(rv, new Event(rv, action.name(), o.getKind(), o.getMetadata().getName(), peerList, revision));
        }

        @Override
        public void onClose(WatcherException cause) {}
      };
    }

    List<Event> events() {
      return List.copyOf(events.values());
    }

    /** Per Deployment, the distinct pod-template revisions it ran, in order. */
    Map<String, List<String>> revisionsPerDeployment() {
      Map<String, List<String>> revisions = new HashMap<>();
      for (Event e : events.values()) {
        if (e.kind().equals("Deployment") && e.podRevision() != null) {
          List<String> seen = revisions.computeIfAbsent(e.name(), k -> new ArrayList<>());
          if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(e.podRevision())) {
            seen.add(e.podRevision());
          }
        }
      }
      return revisions;
    }

    /**
     * Replays the history: whenever a Deployment refers to a peer list, that ConfigMap exists
     * (it was created, or was there from the start, and not deleted since).
     */
    void assertNeverWithoutPeerList() {
      Map<String, Boolean> exists = new HashMap<>();
      Map<String, String> mountedBy = new HashMap<>();
      for (Event e : events.values()) {
        if (e.kind().equals("ConfigMap")) {
          exists.put(e.name(), !e.action().equals("DELETED"));
          if (e.action().equals("DELETED")) {
            assertThat(mountedBy.values()).as("at %s %s is deleted while a Deployment refers to it", e, e.name())
                .doesNotContain(e.name());
          }
        } else if (e.peerList() != null) {
          mountedBy.put(e.name(), e.peerList());
          assertThat(exists.get(e.peerList())).as("at %s, the peer list it refers to exists", e).isTrue();
        }
      }
    }

    /**
     * Replays the history: a member's Deployment gets a new template only while every other member
     * of its lattice runs the revision it was last seen Ready and Consistent on (none restarting).
     */
    void assertOneMemberAtATimePerLattice(Map<String, String> latticeOf) {
      Map<String, String> running = new HashMap<>();
      Map<String, String> settled = new HashMap<>();
      for (Event e : events.values()) {
        if (e.action().equals("DELETED") || e.podRevision() == null) {
          continue;
        }
        if (e.kind().equals("LatticeNode")) {
          settled.put(e.name(), e.podRevision());
          continue;
        }
        if (!e.kind().equals("Deployment")) {
          continue;
        }
        String before = running.put(e.name(), e.podRevision());
        if (before != null && !before.equals(e.podRevision())) {
          String lattice = latticeOf.get(e.name());
          List<String> restarting = running.keySet().stream()
              .filter(o -> !o.equals(e.name()) && lattice.equals(latticeOf.get(o)))
              .filter(o -> !Objects.equals(running.get(o), settled.get(o)))
              .toList();
          assertThat(restarting).as("when %s got its new template, members of %s still restarting", e, lattice)
              .isEmpty();
        }
      }
    }

    @Override
    public void close() {
      watches.forEach(Watch::close);
    }
  }
}
