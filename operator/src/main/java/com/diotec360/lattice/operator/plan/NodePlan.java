package com.diotec360.lattice.operator.plan;

import com.diotec360.lattice.operator.api.v1alpha1.DnsAlias;
import com.diotec360.lattice.operator.api.v1alpha1.ExtraEnvVar;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.SecretEnvVar;
import com.diotec360.lattice.operator.api.v1alpha1.SyncMode;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * Everything the dependents need to build one node's objects, with every default applied. Computed
 * once per reconcile by {@link NodePlanner} and handed to the dependents through the workflow
 * context, so no dependent re-derives defaults. Nothing in it depends on the other members: what
 * the lattice shares is the Lattice's ({@link LatticePlan}).
 *
 * <p>{@code extraPeers} are the node's own {@code spec.peers}: the node syncs with these and with
 * the lattice's peer list.
 */
public record NodePlan(
    String name,
    String namespace,
    String lattice,
    String role,
    String image,
    String imagePullPolicy,
    ResourceRequirements resources,
    String environment,
    String logLevel,
    SyncMode syncMode,
    int heartbeatIntervalSeconds,
    int peerlessTimeoutSeconds,
    int httpPollIntervalSeconds,
    boolean p2pEnabled,
    int p2pPort,
    String storageSize,
    String storageClassName,
    List<ExtraEnvVar> extraEnv,
    List<SecretEnvVar> secretEnv,
    List<DnsAlias> aliases,
    List<String> hostnames,
    int hostnameTtlSeconds,
    List<String> extraPeers) {

  /** Key of the plan in the managed workflow context. */
  public static final String KEY = "lattice.nodePlan";

  /** Where the node's persistent volume is mounted in the container. */
  public static final String DATA_DIR = "/var/lib/lattice";

  /** Where the live peer-list file is mounted in the container. */
  public static final String PEER_LIST_DIR = "/etc/lattice";

  public static final String PEER_LIST_FILE = "peers";

  /** The plan the reconciler put into this reconcile's workflow context. */
  public static NodePlan of(io.javaoperatorsdk.operator.api.reconciler.Context<LatticeNode> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, NodePlan.class);
  }

  public List<DnsAlias> aliasesOfType(com.diotec360.lattice.operator.api.v1alpha1.AliasType type) {
    return aliases.stream().filter(a -> a.getType() == type).toList();
  }
}
