package com.diotec360.lattice.operator.plan;

import com.diotec360.lattice.operator.api.v1alpha1.DnsSpec;
import com.diotec360.lattice.operator.api.v1alpha1.ImagePullPolicy;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNode;
import com.diotec360.lattice.operator.api.v1alpha1.LatticeNodeSpec;
import com.diotec360.lattice.operator.api.v1alpha1.LogLevel;
import com.diotec360.lattice.operator.api.v1alpha1.NodeResources;
import com.diotec360.lattice.operator.api.v1alpha1.P2PSpec;
import com.diotec360.lattice.operator.api.v1alpha1.StorageSpec;
import com.diotec360.lattice.operator.api.v1alpha1.SyncMode;
import com.diotec360.lattice.operator.api.v1alpha1.SyncSpec;
import com.diotec360.lattice.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a node's spec into a {@link NodePlan}: applies the defaults the CRD declares (the mock API
 * server used in tests does not apply them, and a real server skips them for absent parents).
 */
public final class NodePlanner {

  private final OperatorConfig config;

  public NodePlanner(OperatorConfig config) {
    this.config = config;
  }

  /** @param node the node being reconciled */
  public NodePlan plan(LatticeNode node) {
    LatticeNodeSpec spec = node.getSpec();
    SyncSpec sync = Optional.ofNullable(spec.getSync()).orElseGet(SyncSpec::new);
    P2PSpec p2p = Optional.ofNullable(sync.getP2p()).orElseGet(P2PSpec::new);
    DnsSpec dns = Optional.ofNullable(spec.getDns()).orElseGet(DnsSpec::new);
    StorageSpec storage = Optional.ofNullable(spec.getStorage()).orElseGet(StorageSpec::new);
    String name = node.getMetadata().getName();
    String namespace = node.getMetadata().getNamespace();

    return new NodePlan(
        name,
        namespace,
        spec.getLattice(),
        spec.getRole(),
        Optional.ofNullable(spec.getImage()).orElse(config.nodeImage()),
        Optional.ofNullable(spec.getImagePullPolicy()).orElse(ImagePullPolicy.IfNotPresent).name(),
        resourcesOrDefault(spec.getResources()),
        Optional.ofNullable(spec.getEnvironment()).orElse("production"),
        Optional.ofNullable(spec.getLogLevel()).orElse(LogLevel.INFO).name(),
        Optional.ofNullable(sync.getMode()).orElse(SyncMode.AUTO),
        Optional.ofNullable(sync.getHeartbeatIntervalSeconds())
            .orElse(SyncSpec.DEFAULT_HEARTBEAT_SECONDS),
        Optional.ofNullable(sync.getPeerlessTimeoutSeconds())
            .orElse(SyncSpec.DEFAULT_PEERLESS_TIMEOUT_SECONDS),
        Optional.ofNullable(sync.getHttpPollIntervalSeconds())
            .orElse(SyncSpec.DEFAULT_HTTP_POLL_SECONDS),
        Optional.ofNullable(p2p.getEnabled()).orElse(true),
        Optional.ofNullable(p2p.getPort()).orElse(P2PSpec.DEFAULT_PORT),
        Optional.ofNullable(storage.getSize()).orElse(StorageSpec.DEFAULT_SIZE),
        storage.getStorageClassName(),
        List.copyOf(Objects.requireNonNullElse(spec.getEnv(), List.of())),
        List.copyOf(Objects.requireNonNullElse(spec.getSecretEnv(), List.of())),
        List.copyOf(Objects.requireNonNullElse(dns.getAliases(), List.of())),
        List.copyOf(Objects.requireNonNullElse(dns.getHostnames(), List.of())),
        Optional.ofNullable(dns.getTtlSeconds()).orElse(DnsSpec.DEFAULT_TTL_SECONDS),
        List.copyOf(Objects.requireNonNullElse(spec.getPeers(), List.of())));
  }

  private static ResourceRequirements resourcesOrDefault(NodeResources requested) {
    if (requested != null
        && (notEmpty(requested.getRequests()) || notEmpty(requested.getLimits()))) {
      return requested.toRequirements();
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("256Mi"))
        .addToLimits("memory", new Quantity("512Mi"))
        .build();
  }

  private static boolean notEmpty(Map<?, ?> map) {
    return map != null && !map.isEmpty();
  }
}
