package com.diotec360.lattice.node.config;

import com.diotec360.lattice.node.mode.ModeSetting;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates the node's environment. Every problem found becomes one line of an
 * {@link InvalidConfigException}, so a user fixes all of them in one go.
 */
public final class NodeConfigLoader {
    public static final String NODE_NAME = "DIOTEC360_NODE_NAME";
    public static final String NODE_ROLE = "DIOTEC360_NODE_ROLE";
    public static final String P2P_ENABLED = "DIOTEC360_P2P_ENABLED";
    public static final String LATTICE_NODES = "DIOTEC360_LATTICE_NODES";
    public static final String STATE_DIR = "DIOTEC360_STATE_DIR";
    public static final String VAULT_DIR = "DIOTEC360_VAULT_DIR";
    public static final String SENTINEL_DIR = "DIOTEC360_SENTINEL_DIR";
    public static final String HEARTBEAT_INTERVAL = "DIOTEC360_HEARTBEAT_INTERVAL";
    public static final String PEERLESS_TIMEOUT = "DIOTEC360_PEERLESS_TIMEOUT";
    public static final String HTTP_POLL_INTERVAL = "DIOTEC360_HTTP_POLL_INTERVAL";
    public static final String ENVIRONMENT = "DIOTEC360_ENVIRONMENT";
    public static final String LOG_LEVEL = "DIOTEC360_LOG_LEVEL";
    public static final String HTTP_PORT = "DIOTEC360_HTTP_PORT";
    public static final String P2P_PORT = "DIOTEC360_P2P_PORT";
    public static final String BIND_ADDRESS = "DIOTEC360_BIND_ADDRESS";
    public static final String PEERS_FILE = "DIOTEC360_PEERS_FILE";
    public static final String PEERS_FILE_POLL_MS = "DIOTEC360_PEERS_FILE_POLL_MS";
    public static final String LATTICE_SECRET = "DIOTEC360_LATTICE_SECRET";
    public static final String SYNC_MODE = "DIOTEC360_SYNC_MODE";
    public static final String LOG_FORMAT = "DIOTEC360_LOG_FORMAT";
    public static final String SNAPSHOT_MIN_RECORDS = "DIOTEC360_SNAPSHOT_MIN_RECORDS";

    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private NodeConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** Validates {@code env}; throws {@link InvalidConfigException} listing every problem. */
    public static NodeConfig load(Map<String, String> env) {
        return new NodeConfigLoader(env).build();
    }

    private NodeConfig build() {
        String nodeName = text(NODE_NAME, defaultHostName());
        String role = text(NODE_ROLE, "node");
        boolean p2pEnabled = bool(P2P_ENABLED, true);
        List<URI> latticeNodes = PeerUrls.parseCommaList(env.get(LATTICE_NODES), problems, LATTICE_NODES);
        Path stateDir = Path.of(text(STATE_DIR, ".DIOTEC360_state"));
        Path vaultDir = Path.of(text(VAULT_DIR, ".DIOTEC360_vault"));
        Path sentinelDir = Path.of(text(SENTINEL_DIR, ".DIOTEC360_sentinel"));
        int heartbeat = seconds(HEARTBEAT_INTERVAL, 5);
        int peerless = seconds(PEERLESS_TIMEOUT, 60);
        int poll = seconds(HTTP_POLL_INTERVAL, 10);
        if (heartbeat > 0 && peerless > 0 && peerless <= heartbeat) {
            problems.add(PEERLESS_TIMEOUT + "=" + peerless + " must be greater than " + HEARTBEAT_INTERVAL
                    + "=" + heartbeat + " (the monitor needs at least two checks before it falls back)");
        }
        String environment = text(ENVIRONMENT, "production");
        String logLevel = text(LOG_LEVEL, "INFO").toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            problems.add(LOG_LEVEL + "='" + env.get(LOG_LEVEL) + "' must be one of " + LOG_LEVELS);
        }
        int httpPort = port(HTTP_PORT, 8000);
        int p2pPort = port(P2P_PORT, 9000);
        String bindAddress = text(BIND_ADDRESS, "0.0.0.0");
        checkBindAddress(bindAddress);
        Optional<Path> peersFile = Optional.ofNullable(blankToNull(env.get(PEERS_FILE))).map(Path::of);
        peersFile.filter(Files::isRegularFile).ifPresent(this::checkPeersFile);
        int peersFilePollMs = positiveInt(PEERS_FILE_POLL_MS, 2000, 50);
        Optional<String> secret = Optional.ofNullable(blankToNull(env.get(LATTICE_SECRET)));
        ModeSetting mode = ModeSetting.parse(text(SYNC_MODE, "auto")).orElseGet(() -> {
            problems.add(SYNC_MODE + "='" + env.get(SYNC_MODE) + "' must be one of " + ModeSetting.validNames());
            return ModeSetting.AUTO;
        });
        String logFormat = text(LOG_FORMAT, "text").toLowerCase(Locale.ROOT);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            problems.add(LOG_FORMAT + "='" + env.get(LOG_FORMAT) + "' must be text or json");
        }
        int snapshotMin = positiveInt(SNAPSHOT_MIN_RECORDS, 100_000, 1);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new NodeConfig(nodeName, role, p2pEnabled, latticeNodes, stateDir, vaultDir, sentinelDir,
                Duration.ofSeconds(heartbeat), Duration.ofSeconds(peerless), Duration.ofSeconds(poll),
                environment, logLevel, httpPort, p2pPort, bindAddress, peersFile,
                Duration.ofMillis(peersFilePollMs), secret, mode, logFormat, snapshotMin);
    }

    private void checkPeersFile(Path file) {
        try {
            PeerUrls.parseLines(Files.readString(file), problems, PEERS_FILE + " (" + file + ")");
        } catch (java.io.IOException e) {
            problems.add(PEERS_FILE + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private void checkBindAddress(String address) {
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            problems.add(BIND_ADDRESS + "='" + address + "' must be an IP address such as 0.0.0.0 or 127.0.0.1");
            return;
        }
        try {
            InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            problems.add(BIND_ADDRESS + "='" + address + "' is not a valid IP address");
        }
    }

    private String text(String name, String fallback) {
        String value = blankToNull(env.get(name));
        return value == null ? fallback : value.trim();
    }

    private boolean bool(String name, boolean fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                problems.add(name + "='" + value + "' must be true or false");
                return fallback;
        }
    }

    private int seconds(String name, int fallback) {
        return positiveInt(name, fallback, 1);
    }

    private int positiveInt(String name, int fallback, int min) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min) {
                problems.add(name + "=" + parsed + " must be at least " + min);
                return -1;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + "='" + value + "' must be a whole number (at least " + min + ")");
            return -1;
        }
    }

    private int port(String name, int fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0 || parsed > 65535) {
                problems.add(name + "=" + parsed + " must be a port between 0 and 65535 (0 = any free port)");
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + "='" + value + "' must be a port number between 0 and 65535");
            return -1;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String defaultHostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "lattice-node";
        }
    }
}
