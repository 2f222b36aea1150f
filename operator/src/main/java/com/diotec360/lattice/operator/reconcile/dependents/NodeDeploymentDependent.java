package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodeEnvironment;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
import com.diotec360.lattice.operator.reconcile.RolloutStep;
import com.diotec360.lattice.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's pod: one replica, Recreate (the state claim is ReadWriteOnce), restricted security
 * context, probes on /health, config from the ConfigMap, the peer list as a live file.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_NODE_OBJECTS))
public class NodeDeploymentDependent
    extends CRUDKubernetesDependentResource<Deployment, LatticeNode> {

  public static final String CONFIG_HASH_ANNOTATION = LatticeNode.GROUP + "/config-hash";
  public static final String CONTAINER = "node";
  public static final long RUN_AS = 10001L;

  public NodeDeploymentDependent() {
    super(Deployment.class);
  }

  /** The pod-template revision a Deployment runs (a short hash of the template the operator built). */
  public static final String REVISION_ANNOTATION = LatticeNode.GROUP + "/revision";

  /** The pod-template annotation counting the operator's self-heal restarts of the node. */
  public static final String SELF_HEAL_RESTARTS_ANNOTATION = LatticeNode.GROUP + "/self-heal-restarts";

  /** The pod-template annotation that carries the node's restart request. */
  public static final String RESTART_ANNOTATION = LatticeNode.RESTART_ANNOTATION;

  @Override
  protected Deployment desired(LatticeNode node, Context<LatticeNode> context) {
    return DesiredState.stamped(build(node, NodePlan.of(context)));
  }

  /**
   * Tolerates what the API server adds; see {@link DesiredState}. While the lattice's roller holds
   * the node back ({@link RolloutStep#hold()}), the Deployment keeps the template it runs: only the
   * rest of the object (replicas, labels) is brought up to date, without restarting the node.
   */
  @Override
  public Matcher.Result<Deployment> match(
      Deployment actual, Deployment desired, LatticeNode primary, Context<LatticeNode> context) {
    boolean hold =
        context.managedWorkflowAndDependentResourceContext()
            .get(RolloutStep.KEY, RolloutStep.class)
            .map(RolloutStep::hold)
            .orElse(false);
    if (hold && !sameRevision(actual, desired)) {
      Deployment held = withTemplateOf(actual, desired);
      if (useSSA(context)) { // the SSA experiment (SsaExperiment)
        return Matcher.Result.computed(super.match(actual, held, primary, context).matched(), held);
      }
      return Matcher.Result.computed(DesiredState.coversObject(actual, held), held);
    }
    if (useSSA(context)) { // the SSA experiment (SsaExperiment)
      return super.match(actual, desired, primary, context);
    }
    return Matcher.Result.computed(DesiredState.matches(actual, desired), desired);
  }

  /** The desired Deployment, but with the pod template (and its revision) the live one runs. */
  static Deployment withTemplateOf(Deployment live, Deployment desired) {
    Deployment held = new DeploymentBuilder(desired).build();
    held.getSpec().setTemplate(live.getSpec().getTemplate());
    Map<String, String> annotations = new java.util.HashMap<>(held.getMetadata().getAnnotations());
    String running = revisionOf(live);
    if (running == null) {
      annotations.remove(REVISION_ANNOTATION);
    } else {
      annotations.put(REVISION_ANNOTATION, running);
    }
    held.getMetadata().setAnnotations(annotations);
    return DesiredState.stamped(held);
  }

  /**
   * The pod-template revision of the Deployment the operator builds: a short hash of its template.
   * A new revision means a new pod, so a restart.
   */
  public static String revision(Deployment built) {
    return DesiredState.hashOf(built.getSpec().getTemplate());
  }

  /** The revision a live Deployment runs, from its annotation; null before this operator version. */
  public static String revisionOf(Deployment live) {
    var annotations = live.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(REVISION_ANNOTATION);
  }

  /**
   * True when the live Deployment already runs the built one's pod template. A Deployment written
   * before revisions were stamped runs it when its template covers the built one field by field.
   */
  public static boolean sameRevision(Deployment live, Deployment built) {
    String running = revisionOf(live);
    if (running != null) {
      return running.equals(revision(built));
    }
    return DesiredState.coversContent(live.getSpec().getTemplate(), built.getSpec().getTemplate());
  }

  /**
   * True when the Deployment has finished rolling out its current template, as {@code kubectl
   * rollout status} decides: the controller saw this generation, every replica runs it and is
   * available, and no pod of an older template is left.
   */
  public static boolean rolledOut(Deployment live) {
    var status = live.getStatus();
    Integer wanted = live.getSpec().getReplicas();
    if (status == null || wanted == null || wanted < 1) {
      return false;
    }
    Long generation = live.getMetadata().getGeneration();
    Long observed = status.getObservedGeneration();
    boolean observedNow = generation == null || (observed != null && observed >= generation);
    int updated = java.util.Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
    int replicas = java.util.Objects.requireNonNullElse(status.getReplicas(), 0);
    int available = java.util.Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
    return observedNow && updated >= wanted && replicas == updated && available >= updated;
  }

  public static Deployment build(LatticeNode node, NodePlan plan) {
    Map<String, String> podLabels = LatticeLabels.forNode(node, LatticeLabels.COMPONENT_NODE);
    Map<String, String> podAnnotations = new java.util.LinkedHashMap<>();
    podAnnotations.put(CONFIG_HASH_ANNOTATION, NodeEnvironment.configHash(plan));
    if (node.restartRequest() != null) {
      podAnnotations.put(RESTART_ANNOTATION, node.restartRequest());
    }
    int healRestarts = node.getStatus() == null || node.getStatus().getSelfHeal() == null
        ? 0
        : java.util.Objects.requireNonNullElse(node.getStatus().getSelfHeal().getRestarts(), 0);
    if (healRestarts > 0) {
      // A self-heal restart is a new pod template, so it goes through the roller like any other.
      podAnnotations.put(SELF_HEAL_RESTARTS_ANNOTATION, Integer.toString(healRestarts));
    }
    Deployment deployment = new DeploymentBuilder()
        .withNewMetadata()
        .withName(ResourceNames.node(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(podLabels)
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withNewSpec()
        .withReplicas(node.getSpec().suspended() ? 0 : 1)
        .withRevisionHistoryLimit(3)
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewSelector()
        .withMatchLabels(LatticeLabels.selectNode(node))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withFsGroup(RUN_AS)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(plan))
        .addNewVolume()
        .withName("state")
        .withNewPersistentVolumeClaim()
        .withClaimName(ResourceNames.stateClaim(plan.name()))
        .endPersistentVolumeClaim()
        .endVolume()
        .addNewVolume()
        .withName("peer-list")
        .withNewConfigMap()
        .withName(ResourceNames.peerList(plan.name()))
        .addNewItem()
        .withKey(NodePlan.PEER_LIST_FILE)
        .withPath(NodePlan.PEER_LIST_FILE)
        .endItem()
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("64Mi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
    deployment.getMetadata().setAnnotations(
        new java.util.HashMap<>(Map.of(REVISION_ANNOTATION, revision(deployment))));
    return deployment;
  }

  private static Container container(NodePlan plan) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(plan.image())
        .withImagePullPolicy(plan.imagePullPolicy())
        .addNewPort()
        .withName("http")
        .withContainerPort(ResourceNames.HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("p2p")
        .withContainerPort(plan.p2pPort())
        .withProtocol("TCP")
        .endPort()
        .addNewEnvFrom()
        .withNewConfigMapRef()
        .withName(ResourceNames.configMap(plan.name()))
        .endConfigMapRef()
        .endEnvFrom()
        .withEnv(env(plan))
        .withResources(plan.resources())
        .withStartupProbe(healthProbe(2, 60))
        .withReadinessProbe(healthProbe(5, 3))
        .withLivenessProbe(healthProbe(10, 6))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("state")
        .withMountPath(NodePlan.DATA_DIR)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("peer-list")
        .withMountPath(NodePlan.PEER_LIST_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }

  /** Variables that do not come from the config ConfigMap: the peer list and every secret. */
  private static List<EnvVar> env(NodePlan plan) {
    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder()
            .withName(NodeEnvironment.LATTICE_NODES)
            .withNewValueFrom()
            .withNewConfigMapKeyRef()
            .withName(ResourceNames.peerList(plan.name()))
            .withKey(NodeEnvironment.LATTICE_NODES)
            .endConfigMapKeyRef()
            .endValueFrom()
            .build());
    env.add(
        secretRef(
            NodeEnvironment.LATTICE_SECRET,
            ResourceNames.latticeSecret(plan.lattice()),
            NodeEnvironment.LATTICE_SECRET_KEY));
    for (SecretEnvVar s : plan.secretEnv()) {
      env.add(secretRef(s.getName(), s.getSecretName(), s.getKey()));
    }
    return env;
  }

  private static EnvVar secretRef(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static Probe healthProbe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath("/health")
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
