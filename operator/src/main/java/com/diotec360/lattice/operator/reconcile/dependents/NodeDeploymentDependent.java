package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.reconcile.LatticeLabels;
import com.diotec360.lattice.operator.reconcile.NodeEnvironment;
import com.diotec360.lattice.operator.reconcile.NodePlan;
import com.diotec360.lattice.operator.reconcile.Ownership;
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

  @Override
  protected Deployment desired(LatticeNode node, Context<LatticeNode> context) {
    return DesiredState.stamped(build(node, NodePlan.of(context)));
  }

  /** Tolerates what the API server adds; see {@link DesiredState}. */
  @Override
  public Matcher.Result<Deployment> match(
      Deployment actual, Deployment desired, LatticeNode primary, Context<LatticeNode> context) {
    return Matcher.Result.computed(DesiredState.matches(actual, desired), desired);
  }

  public static Deployment build(LatticeNode node, NodePlan plan) {
    Map<String, String> podLabels = LatticeLabels.forNode(node, LatticeLabels.COMPONENT_NODE);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(ResourceNames.node(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(podLabels)
        .withOwnerReferences(Ownership.controlledBy(node))
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
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
        .addToAnnotations(CONFIG_HASH_ANNOTATION, NodeEnvironment.configHash(plan))
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
