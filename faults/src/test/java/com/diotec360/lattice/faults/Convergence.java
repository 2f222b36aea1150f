package com.diotec360.lattice.faults;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.Lattice;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.plan.LatticePlan;
import com.diotec360.lattice.operator.plan.LatticeSettings;
import com.diotec360.lattice.operator.plan.Membership;
import com.diotec360.lattice.operator.plan.NodeEnvironment;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.plan.NodePlanner;
import com.diotec360.lattice.operator.reconcile.dependents.DesiredState;
import com.diotec360.lattice.operator.reconcile.dependents.NodeConfigMapDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeDeploymentDependent;
import com.diotec360.lattice.operator.reconcile.dependents.NodeServiceDependent;
import com.diotec360.lattice.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Whether the operator's work is done, read from the API server alone:
 *
 * <ul>
 *   <li>every LatticeNode has a status for its generation ({@code observedGeneration ==
 *       generation}, a phase, the four conditions);
 *   <li>every node's own objects (config ConfigMap, state claim, Deployment, Service) exist, are
 *       controlled by that node (its uid), and equal what the operator's own {@code desired()}
 *       builders make of its spec (ConfigMap data exactly, Deployment and Service with {@link
 *       DesiredState#matches});
 *   <li>each lattice with members has a Lattice, and one peer Service, secret, budget and peer
 *       list, each controlled by exactly that Lattice; the peer list names its current members;
 *   <li>every other object of those kinds is owned only by objects that are gone: what the
 *       garbage collector of a real cluster would delete (the embedded API has none). Counted by
 *       kind in {@link Result#collectable()}. Anything else (no owner, or an owner that still
 *       exists but does not want it) is an orphan or a duplicate, and a problem.
 * </ul>
 */
final class Convergence {

  record Result(List<String> problems, Map<String, Integer> collectable, int nodes, int objects) {
    boolean converged() {
      return problems.isEmpty();
    }

    @Override
    public String toString() {
      return nodes + " nodes, " + objects + " owned objects checked, left for a garbage collector "
          + collectable + (problems.isEmpty() ? "" : "; " + problems.size() + " problems, first: "
          + problems.subList(0, Math.min(8, problems.size())));
    }
  }

  private static final List<Class<? extends HasMetadata>> OWNED_KINDS =
      List.of(ConfigMap.class, Secret.class, Service.class, Deployment.class,
          PersistentVolumeClaim.class, EndpointSlice.class, PodDisruptionBudget.class);

  private final KubernetesClient client;
  private final NodePlanner planner;

  Convergence(KubernetesClient client) {
    this.client = client;
    this.planner = new NodePlanner(OperatorConfig.defaults());
  }

  Result check() {
    String ns = FaultCluster.NAMESPACE;
    List<LatticeNode> nodes = client.resources(LatticeNode.class).inNamespace(ns).list().getItems();
    Map<String, List<LatticeNode>> byLattice =
        nodes.stream().collect(Collectors.groupingBy(n -> n.getSpec().getLattice(), TreeMap::new, Collectors.toList()));
    Map<String, Lattice> lattices = client.resources(Lattice.class).inNamespace(ns).list().getItems().stream()
        .collect(Collectors.toMap(l -> l.getMetadata().getName(), l -> l));
    Set<String> liveUids = nodes.stream().map(n -> n.getMetadata().getUid()).collect(Collectors.toSet());
    lattices.values().forEach(l -> liveUids.add(l.getMetadata().getUid()));
    Map<String, HasMetadata> objects = new HashMap<>();
    for (Class<? extends HasMetadata> kind : OWNED_KINDS) {
      client.resources(kind).inNamespace(ns).list().getItems()
          .forEach(o -> objects.put(key(o.getKind(), o.getMetadata().getName()), o));
    }
    List<String> problems = new ArrayList<>();
    Set<String> expected = new java.util.HashSet<>();

    for (LatticeNode node : nodes) {
      String name = node.getMetadata().getName();
      var status = node.getStatus();
      if (status == null) {
        problems.add(name + ": no status");
      } else {
        if (!Objects.equals(status.getObservedGeneration(), node.getMetadata().getGeneration())) {
          problems.add(name + ": status for generation " + status.getObservedGeneration() + ", spec is at "
              + node.getMetadata().getGeneration());
        }
        if (status.getPhase() == null || status.getConditions() == null || status.getConditions().size() != StatusAggregator.CONDITIONS.size()) {
          problems.add(name + ": incomplete status (phase " + status.getPhase() + ", conditions "
              + (status.getConditions() == null ? 0 : status.getConditions().size()) + ")");
        }
      }
      NodePlan plan = planner.plan(node);
      String uid = node.getMetadata().getUid();
      ownedBy(problems, expected, objects, uid, "ConfigMap", ResourceNames.configMap(name), (ConfigMap actual) ->
          Objects.equals(actual.getData(), new NodeConfigMapDependent().build(node, plan).getData())
              ? null : "data " + actual.getData() + " but the spec asks " + new NodeConfigMapDependent().build(node, plan).getData());
      ownedBy(problems, expected, objects, uid, "PersistentVolumeClaim", ResourceNames.stateClaim(name),
          (PersistentVolumeClaim actual) -> null);
      ownedBy(problems, expected, objects, uid, "Deployment", ResourceNames.node(name), (Deployment actual) ->
          DesiredState.difference(actual, DesiredState.stamped(NodeDeploymentDependent.build(node, plan))).orElse(null));
      ownedBy(problems, expected, objects, uid, "Service", ResourceNames.node(name), (Service actual) ->
          DesiredState.difference(actual, DesiredState.stamped(NodeServiceDependent.build(node, plan))).orElse(null));
    }

    byLattice.forEach((name, naming) -> {
      List<LatticeNode> members = Membership.of(naming.stream(), name);
      Lattice lattice = lattices.get(name);
      if (members.isEmpty()) {
        return;
      }
      if (lattice == null) {
        problems.add(name + ": no Lattice");
        return;
      }
      String uid = lattice.getMetadata().getUid();
      List<String> peers = new LatticePlan(lattice, members,
          LatticeSettings.of(lattice, members, Duration.ofMinutes(10))).peers();
      ownedBy(problems, expected, objects, uid, "Service", ResourceNames.latticePeerService(name), (Service actual) -> null);
      ownedBy(problems, expected, objects, uid, "Secret", ResourceNames.latticeSecret(name), (Secret actual) -> null);
      ownedBy(problems, expected, objects, uid, "PodDisruptionBudget", ResourceNames.disruptionBudget(name),
          (PodDisruptionBudget actual) -> null);
      ownedBy(problems, expected, objects, uid, "ConfigMap", ResourceNames.latticePeerList(name), (ConfigMap actual) ->
          Objects.equals(actual.getData(), NodeEnvironment.peerListData(peers))
              ? null : "data " + actual.getData() + " but the members are " + peers);
    });

    Map<String, Integer> collectable = new TreeMap<>();
    objects.forEach((k, o) -> {
      if (expected.contains(k)) {
        return;
      }
      List<OwnerReference> owners = owners(o);
      if (!owners.isEmpty() && owners.stream().noneMatch(r -> liveUids.contains(r.getUid()))) {
        collectable.merge(o.getKind(), 1, Integer::sum);
      } else {
        problems.add("orphan or duplicate " + k + " (owners " + names(o) + ")");
      }
    });
    return new Result(problems, collectable, nodes.size(), objects.size());
  }

  /** Polls until converged or the timeout; the last result either way. */
  Result await(Duration timeout, Supplier<String> context) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Result last = check();
    while (!last.converged() && System.nanoTime() < deadline) {
      OperatorProcess.sleep(500);
      last = check();
    }
    return last;
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> void ownedBy(
      List<String> problems, Set<String> expected, Map<String, HasMetadata> objects, String uid, String kind, String name,
      java.util.function.Function<T, String> difference) {
    String k = key(kind, name);
    expected.add(k);
    HasMetadata actual = objects.get(k);
    if (actual == null) {
      problems.add("missing " + k);
      return;
    }
    List<OwnerReference> controllers = owners(actual).stream().filter(r -> Boolean.TRUE.equals(r.getController())).toList();
    if (controllers.size() != 1 || !uid.equals(controllers.get(0).getUid())) {
      problems.add(k + " is controlled by " + names(actual) + ", not by its owner (uid " + uid + ")");
      return;
    }
    String diff = difference.apply((T) actual);
    if (diff != null) {
      problems.add(k + " differs from desired(): " + diff);
    }
  }

  private static List<OwnerReference> owners(HasMetadata o) {
    return Objects.requireNonNullElse(o.getMetadata().getOwnerReferences(), List.of());
  }

  private static String names(HasMetadata o) {
    return owners(o).stream().map(r -> r.getName() + "/" + r.getUid().substring(0, Math.min(8, r.getUid().length()))).toList().toString();
  }

  private static String key(String kind, String name) {
    return kind + "/" + name;
  }
}
