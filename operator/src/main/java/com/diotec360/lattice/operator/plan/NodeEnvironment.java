package com.diotec360.lattice.operator.plan;

import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.api.v1alpha1.ExtraEnvVar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's environment, in the brief's {@code DIOTEC360_*} variables, and the hash that rolls
 * the pod when it changes. Two things are deliberately not part of the hash: the lattice's peer
 * list, which lives in the lattice's ConfigMap, mounted as a file the node re-reads, so a member
 * joining or leaving restarts nobody; and the sync mode, which a running node takes live through
 * its switch call ({@code SyncModeEnforcer}), so a mode switch restarts nobody either. Both are
 * still in what a new pod starts with.
 */
public final class NodeEnvironment {

  public static final String NODE_NAME = "DIOTEC360_NODE_NAME";
  public static final String NODE_ROLE = "DIOTEC360_NODE_ROLE";
  public static final String P2P_ENABLED = "DIOTEC360_P2P_ENABLED";
  public static final String P2P_PORT = "DIOTEC360_P2P_PORT";
  public static final String HTTP_PORT = "DIOTEC360_HTTP_PORT";
  public static final String LATTICE_NODES = "DIOTEC360_LATTICE_NODES";
  public static final String PEERS_FILE = "DIOTEC360_PEERS_FILE";
  public static final String STATE_DIR = "DIOTEC360_STATE_DIR";
  public static final String VAULT_DIR = "DIOTEC360_VAULT_DIR";
  public static final String SENTINEL_DIR = "DIOTEC360_SENTINEL_DIR";
  public static final String HEARTBEAT_INTERVAL = "DIOTEC360_HEARTBEAT_INTERVAL";
  public static final String PEERLESS_TIMEOUT = "DIOTEC360_PEERLESS_TIMEOUT";
  public static final String HTTP_POLL_INTERVAL = "DIOTEC360_HTTP_POLL_INTERVAL";
  public static final String ENVIRONMENT = "DIOTEC360_ENVIRONMENT";
  public static final String LOG_LEVEL = "DIOTEC360_LOG_LEVEL";
  public static final String SYNC_MODE = "DIOTEC360_SYNC_MODE";
  public static final String LATTICE_SECRET = "DIOTEC360_LATTICE_SECRET";

  private NodeEnvironment() {}

  /** The node's configuration as the data of its ConfigMap (sorted, so it is stable). */
  public static Map<String, String> configData(NodePlan plan) {
    Map<String, String> env = new TreeMap<>();
    env.put(NODE_NAME, plan.name());
    env.put(NODE_ROLE, plan.role());
    env.put(P2P_ENABLED, Boolean.toString(plan.p2pEnabled()));
    env.put(P2P_PORT, Integer.toString(plan.p2pPort()));
    env.put(HTTP_PORT, Integer.toString(ResourceNames.HTTP_PORT));
    env.put(PEERS_FILE, NodePlan.PEER_LIST_DIR + "/" + NodePlan.PEER_LIST_FILE);
    env.put(STATE_DIR, NodePlan.DATA_DIR + "/state");
    env.put(VAULT_DIR, NodePlan.DATA_DIR + "/vault");
    env.put(SENTINEL_DIR, NodePlan.DATA_DIR + "/sentinel");
    env.put(HEARTBEAT_INTERVAL, Integer.toString(plan.heartbeatIntervalSeconds()));
    env.put(PEERLESS_TIMEOUT, Integer.toString(plan.peerlessTimeoutSeconds()));
    env.put(HTTP_POLL_INTERVAL, Integer.toString(plan.httpPollIntervalSeconds()));
    env.put(ENVIRONMENT, plan.environment());
    env.put(LOG_LEVEL, plan.logLevel());
    env.put(SYNC_MODE, plan.syncMode().value());
    // The node's own extra peers (spec.peers); the node syncs with these and the live file's.
    env.put(LATTICE_NODES, String.join(",", plan.extraPeers()));
    for (ExtraEnvVar extra : plan.extraEnv()) {
      env.put(extra.getName(), extra.getValue() == null ? "" : extra.getValue());
    }
    return env;
  }

  /** The variables a running node takes live, so a change of them restarts nothing. */
  static final java.util.Set<String> LIVE = java.util.Set.of(SYNC_MODE);

  /** The lattice's peer-list ConfigMap: one line per peer, as the file the node re-reads. */
  public static Map<String, String> peerListData(List<String> peers) {
    return Map.of(NodePlan.PEER_LIST_FILE, peers.isEmpty() ? "" : String.join("\n", peers) + "\n");
  }

  /**
   * A short hash of everything that reaches the node only at start (its config and where its
   * secrets come from). Stored as a pod-template annotation, so a change rolls the pod.
   */
  public static String configHash(NodePlan plan) {
    StringBuilder material = new StringBuilder();
    configData(plan).forEach((k, v) -> {
      if (!LIVE.contains(k)) {
        material.append(k).append('=').append(v).append('\n');
      }
    });
    plan.secretEnv()
        .forEach(
            s ->
                material
                    .append("secret:")
                    .append(s.getName())
                    .append('=')
                    .append(s.getSecretName())
                    .append('/')
                    .append(s.getKey())
                    .append('\n'));
    material.append("latticeSecret=").append(ResourceNames.latticeSecret(plan.lattice()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(material.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
