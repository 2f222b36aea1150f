package com.diotec360.lattice.node.config;

import com.diotec360.lattice.node.mode.ModeSetting;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NodeConfigLoaderTest {

    @Test
    void defaultsMatchTheBrief() {
        NodeConfig c = NodeConfigLoader.load(Map.of("DIOTEC360_NODE_NAME", "n1"));
        assertThat(c.nodeName()).isEqualTo("n1");
        assertThat(c.p2pEnabled()).isTrue();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.peerlessTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.httpPollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.httpPort()).isEqualTo(8000);
        assertThat(c.p2pPort()).isEqualTo(9000);
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.initialMode()).isEqualTo(ModeSetting.AUTO);
        assertThat(c.logFormat()).isEqualTo("text");
        assertThat(c.logLevel()).isEqualTo("INFO");
        assertThat(c.latticeSecret()).isEmpty();
        assertThat(c.latticeNodes()).isEmpty();
    }

    @Test
    void parsesEveryVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("DIOTEC360_P2P_ENABLED", "FALSE");
        env.put("DIOTEC360_LATTICE_NODES", "http://a:8000/, https://b.example.com ,");
        env.put("DIOTEC360_HEARTBEAT_INTERVAL", "1");
        env.put("DIOTEC360_PEERLESS_TIMEOUT", "2");
        env.put("DIOTEC360_SYNC_MODE", "http");
        env.put("DIOTEC360_LOG_FORMAT", "json");
        env.put("DIOTEC360_LATTICE_SECRET", "s");
        NodeConfig c = NodeConfigLoader.load(env);
        assertThat(c.p2pEnabled()).isFalse();
        assertThat(c.latticeNodes()).containsExactly(URI.create("http://a:8000"), URI.create("https://b.example.com"));
        assertThat(c.initialMode()).isEqualTo(ModeSetting.HTTP);
        assertThat(c.latticeSecret()).hasValue("s");
    }

    @Test
    void reportsEveryProblemOnItsOwnLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path peers = dir.resolve("peers");
        Files.writeString(peers, "# comment\nhttp://ok:8000\nftp://bad\n");
        Map<String, String> env = new HashMap<>();
        env.put("DIOTEC360_HEARTBEAT_INTERVAL", "five");
        env.put("DIOTEC360_HTTP_POLL_INTERVAL", "0");
        env.put("DIOTEC360_HTTP_PORT", "70000");
        env.put("DIOTEC360_P2P_PORT", "x");
        env.put("DIOTEC360_P2P_ENABLED", "yes");
        env.put("DIOTEC360_LATTICE_NODES", "node2.example.com");
        env.put("DIOTEC360_SYNC_MODE", "turbo");
        env.put("DIOTEC360_LOG_FORMAT", "xml");
        env.put("DIOTEC360_LOG_LEVEL", "LOUD");
        env.put("DIOTEC360_BIND_ADDRESS", "not an ip");
        env.put("DIOTEC360_PEERS_FILE", peers.toString());
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> NodeConfigLoader.load(env));
        assertThat(e.problems()).hasSize(11);
        assertThat(String.join("\n", e.problems())).contains("DIOTEC360_HEARTBEAT_INTERVAL='five'",
                "DIOTEC360_HTTP_POLL_INTERVAL=0 must be at least 1", "DIOTEC360_HTTP_PORT=70000",
                "DIOTEC360_P2P_PORT='x'", "DIOTEC360_P2P_ENABLED='yes'", "node2.example.com",
                "DIOTEC360_SYNC_MODE='turbo'", "auto, p2p, http", "DIOTEC360_LOG_FORMAT", "DIOTEC360_LOG_LEVEL",
                "DIOTEC360_BIND_ADDRESS", "ftp://bad");
    }

    @Test
    void peerlessTimeoutMustExceedHeartbeat() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> NodeConfigLoader.load(
                Map.of("DIOTEC360_HEARTBEAT_INTERVAL", "5", "DIOTEC360_PEERLESS_TIMEOUT", "5")));
        assertThat(e.problems()).singleElement().asString().contains("must be greater than");
    }
}
