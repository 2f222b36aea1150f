package com.diotec360.lattice.operator.reconcile.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.operator.act.DeploymentRevisions;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.NodeResources;
import com.diotec360.lattice.operator.config.OperatorConfig;
import com.diotec360.lattice.operator.plan.NodePlan;
import com.diotec360.lattice.operator.plan.NodePlanner;
import com.diotec360.lattice.operator.support.OperatorHarness;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The objects a real API server (v1.36, with kube-controller-manager) stored after this operator
 * reconciled examples/dual-node.yaml ({@code testdata/real-api/v1.36-lattice}, recorded by {@code
 * record.RecordStoredObjects}, with every default the server filled in) match what the operator
 * builds from the same LatticeNodes, so it does not rewrite them on every reconcile. On the real server the operator made 762 no-op Deployment updates for 100 nodes
 * because its matcher took those defaults for changes.
 */
class StoredObjectsTest {

  private static final Path FIXTURES = OperatorHarness.repoRoot().resolve("testdata/real-api/v1.36-lattice");

  private final List<LatticeNode> members = items("latticenodes.json", LatticeNode.class);

  @ParameterizedTest
  @ValueSource(strings = {"node1-huggingface", "node2-local"})
  void theStoredDeploymentNeedsNoUpdate(String name) {
    Deployment desired = NodeDeploymentDependent.build(node(name), plan(name));
    Deployment stored = stored("deployments.json", Deployment.class, name);

    assertThat(DesiredState.difference(asWritten(stored, desired), DesiredState.stamped(desired)))
        .as("the stored Deployment %s, defaults and all, is what the operator wants", name)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"node1-huggingface", "node2-local"})
  void theStoredNodeServiceNeedsNoUpdate(String name) {
    Service desired = NodeServiceDependent.build(node(name), plan(name));
    Service stored = stored("services.json", Service.class, name);

    assertThat(DesiredState.difference(asWritten(stored, desired), DesiredState.stamped(desired))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"node2-local"})
  void theStoredAliasObjectsNeedNoUpdate(String name) {
    for (Service desired : DnsAliasServicesDependent.build(node(name), plan(name)).values()) {
      Service stored = stored("services.json", Service.class, desired.getMetadata().getName());
      assertThat(DesiredState.difference(asWritten(stored, desired), DesiredState.stamped(desired)))
          .as("alias Service %s", desired.getMetadata().getName())
          .isEmpty();
    }
    for (EndpointSlice desired : AliasEndpointSlicesDependent.build(node(name), plan(name)).values()) {
      EndpointSlice stored =
          stored("endpointslices.json", EndpointSlice.class, desired.getMetadata().getName());
      assertThat(DesiredState.difference(asWritten(stored, desired), DesiredState.stamped(desired)))
          .as("alias EndpointSlice %s", desired.getMetadata().getName())
          .isEmpty();
    }
  }

  /**
   * The Deployments the previous operator version left have no revision annotation. Their
   * template, defaults and all, is the one this version builds, so upgrading the operator stamps
   * the annotation (a metadata write) and restarts nobody.
   */
  @ParameterizedTest
  @ValueSource(strings = {"node1-huggingface", "node2-local"})
  void aDeploymentFromBeforeRevisionsRunsTheWantedRevision(String name) {
    Deployment built = NodeDeploymentDependent.build(node(name), plan(name));
    Deployment stored = withoutRevision(stored("deployments.json", Deployment.class, name));
    assertThat(DeploymentRevisions.revisionOf(stored)).isNull();

    assertThat(NodeDeploymentDependent.sameRevision(stored, built)).isTrue();
    Deployment retagged = withoutRevision(stored("deployments.json", Deployment.class, name));
    retagged.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("other:1");
    assertThat(NodeDeploymentDependent.sameRevision(retagged, built)).isFalse();
  }

  /** As an operator from before revisions left it: no revision annotation. */
  private static Deployment withoutRevision(Deployment stored) {
    stored.getMetadata().getAnnotations().remove(DeploymentRevisions.REVISION_ANNOTATION);
    return stored;
  }

  @ParameterizedTest
  @ValueSource(strings = {"node1-huggingface"})
  void aChangedReplicaCountOrImageIsPutBack(String name) {
    Deployment desired = DesiredState.stamped(NodeDeploymentDependent.build(node(name), plan(name)));
    Deployment scaled = asWritten(stored("deployments.json", Deployment.class, name), desired);
    scaled.getSpec().setReplicas(3);
    Deployment retagged = asWritten(stored("deployments.json", Deployment.class, name), desired);
    retagged.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:latest");

    assertThat(DesiredState.matches(scaled, desired)).isFalse();
    assertThat(DesiredState.matches(retagged, desired)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"node1-huggingface"})
  void aFieldTheOperatorStopsSettingIsRemoved(String name) {
    LatticeNode withCpuLimit = node(name);
    withCpuLimit.getSpec().setResources(
        new NodeResources(null, Map.of("cpu", new Quantity("1"), "memory", new Quantity("512Mi"))));
    Deployment before = NodeDeploymentDependent.build(withCpuLimit, plan(withCpuLimit));
    Deployment stored = asWritten(stored("deployments.json", Deployment.class, name), before);
    stored.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(
        before.getSpec().getTemplate().getSpec().getContainers().get(0).getResources());
    LatticeNode withoutCpuLimit = node(name);
    withoutCpuLimit.getSpec().setResources(
        new NodeResources(null, Map.of("memory", new Quantity("512Mi"))));
    Deployment after =
        DesiredState.stamped(NodeDeploymentDependent.build(withoutCpuLimit, plan(withoutCpuLimit)));

    // Every field the new desired object sets is still there (the cpu limit is an extra key);
    // only the hash tells the two apart.
    assertThat(DesiredState.covers(
            Serialization.jsonMapper().valueToTree(stored.getSpec()),
            Serialization.jsonMapper().valueToTree(after.getSpec())))
        .isTrue();
    assertThat(DesiredState.matches(stored, after)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.5", "500m"})
  void quantitiesCompareByValue(String cpu) {
    var desired = Serialization.jsonMapper().createObjectNode().put("cpu", cpu);
    var stored = Serialization.jsonMapper().createObjectNode().put("cpu", "500m");

    assertThat(DesiredState.covers(stored, desired)).isTrue();
    assertThat(new Quantity(cpu)).isNotNull();
  }

  /** What the server would hold had this operator written the object: its hash stamped on. */
  /** The stored object with the annotations this operator version writes (stamp, revision). */
  private static <R extends HasMetadata> R asWritten(R stored, R desired) {
    Map<String, String> annotations = new HashMap<>(stored.getMetadata().getAnnotations());
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    annotations.put(DesiredState.HASH_ANNOTATION, DesiredState.hash(desired));
    stored.getMetadata().setAnnotations(annotations);
    return stored;
  }

  private LatticeNode node(String name) {
    return items("latticenodes.json", LatticeNode.class).stream()
        .filter(n -> n.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private NodePlan plan(String name) {
    return plan(node(name));
  }

  private NodePlan plan(LatticeNode node) {
    return new NodePlanner(OperatorConfig.defaults()).plan(node);
  }

  private static <R extends HasMetadata> R stored(String file, Class<R> type, String name) {
    return items(file, type).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no " + name));
  }

  /** The items of a {@code kubectl get -o json} list, typed. */
  private static <R extends HasMetadata> List<R> items(String file, Class<R> type) {
    try (InputStream in = Files.newInputStream(FIXTURES.resolve(file))) {
      JsonNode list = Serialization.jsonMapper().readTree(in);
      List<R> items = new ArrayList<>();
      for (JsonNode item : list.path("items")) {
        items.add(Serialization.jsonMapper().treeToValue(item, type));
      }
      return items;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
