package com.diotec360.lattice.operator.metrics;

import java.util.Set;

/**
 * The Prometheus metric names the operator exports about lattices, as scraped from
 * {@code /metrics}. The chart's alert rules and Grafana dashboard may use only these (a test checks
 * them), so renaming a metric here is a breaking change for every installed dashboard.
 *
 * <p>Every metric carries the labels {@code namespace}, {@code lattice} and {@code node};
 * {@code lattice_node_sync_mode} also carries {@code mode}.
 */
public final class ExportedMetrics {

  /** 1 when the last probes of the node answered, else 0 (also while the node is starting). */
  public static final String NODE_UP = "lattice_node_up";
  /** 1 while the node's Deployment was never available and the startup deadline runs, else 0. */
  public static final String NODE_STARTING = "lattice_node_starting";
  /**
   * 1 when the node's Merkle root equals the lattice's reference root, 0 when it is judged
   * Behind, Ahead or Diverged; absent while unknown (unreachable, not probed, no quorum).
   */
  public static final String NODE_MERKLE_CONSISTENT = "lattice_node_merkle_consistent";
  /** 1 when the node's lattice has a reference root, 0 when it has no quorum; absent if unknown. */
  public static final String NODE_QUORUM = "lattice_node_quorum";
  /**
   * 1 when the node's lattice is split (members on different roots past the grace period, no root
   * with a strict majority), 0 when it is judged not split; absent while unknown.
   */
  public static final String NODE_SPLIT = "lattice_node_split";
  /** Entries a Diverged or Split node lacks, by the Merkle comparison; absent otherwise. */
  public static final String NODE_ENTRIES_MISSING = "lattice_node_entries_missing";
  /** Entries only a Diverged or Split node holds, by the Merkle comparison; absent otherwise. */
  public static final String NODE_ENTRIES_EXTRA = "lattice_node_entries_extra";
  /** The node's P2P peer count. */
  public static final String NODE_PEERS = "lattice_node_peers";
  /** 1 for the node's current sync mode ({@code mode} label: P2P, HTTP, ...), 0 for the others. */
  public static final String NODE_SYNC_MODE = "lattice_node_sync_mode";
  /** The node's state version. */
  public static final String NODE_VERSION = "lattice_node_version";
  /** Counter of the node's sync mode changes. */
  public static final String SYNC_MODE_CHANGES = "lattice_sync_mode_changes_total";
  /** Counter of Merkle divergences detected (past the grace period). */
  public static final String MERKLE_DIVERGENCES = "lattice_merkle_divergences_total";
  /** Histogram of probe round-trip times; scraped as _bucket, _sum and _count series. */
  public static final String PROBE_DURATION = "lattice_probe_duration_seconds";

  /** Every exported name; histogram series add _bucket, _sum and _count to their base name. */
  public static final Set<String> NAMES =
      Set.of(
          NODE_UP,
          NODE_STARTING,
          NODE_MERKLE_CONSISTENT,
          NODE_QUORUM,
          NODE_SPLIT,
          NODE_ENTRIES_MISSING,
          NODE_ENTRIES_EXTRA,
          NODE_PEERS,
          NODE_SYNC_MODE,
          NODE_VERSION,
          SYNC_MODE_CHANGES,
          MERKLE_DIVERGENCES,
          PROBE_DURATION);

  /** The names of histograms among {@link #NAMES}. */
  public static final Set<String> HISTOGRAMS = Set.of(PROBE_DURATION);

  private ExportedMetrics() {}
}
