package com.diotec360.lattice.node.config;

import com.diotec360.lattice.node.mode.ModeSetting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Immutable, validated node settings. Built by {@link NodeConfigLoader} from {@code DIOTEC360_*}
 * environment variables; see node-image/README.md for the table of variables and defaults.
 */
public record NodeConfig(
        String nodeName,
        String role,
        boolean p2pEnabled,
        List<URI> latticeNodes,
        Path stateDir,
        Path vaultDir,
        Path sentinelDir,
        Duration heartbeatInterval,
        Duration peerlessTimeout,
        Duration httpPollInterval,
        String environment,
        String logLevel,
        int httpPort,
        int p2pPort,
        String bindAddress,
        Optional<Path> peersFile,
        Duration peersFilePollInterval,
        Optional<String> latticeSecret,
        ModeSetting initialMode,
        String logFormat,
        int snapshotMinRecords) {

    public NodeConfig {
        latticeNodes = List.copyOf(latticeNodes);
    }

    /** A copy with another state directory (tests and the benchmark). */
    public NodeConfig withStateDir(Path dir) {
        return new NodeConfig(nodeName, role, p2pEnabled, latticeNodes, dir, vaultDir, sentinelDir,
                heartbeatInterval, peerlessTimeout, httpPollInterval, environment, logLevel, httpPort, p2pPort,
                bindAddress, peersFile, peersFilePollInterval, latticeSecret, initialMode, logFormat,
                snapshotMinRecords);
    }
}
