package com.diotec360.lattice.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The peer-list file adds to the env list (the node's own extra peers), is re-read on change (also
 * via symlink swap) without restart.
 */
class PeerListFileTest {
    @TempDir
    Path dir;

    @Test
    void fileAddsToTheEnvListAndIsReloaded() throws Exception {
        try (TestNodes lattice = new TestNodes(dir)) {
            LatticeNode other = lattice.start("other", Map.of());
            Path peers = dir.resolve("peers.txt");
            LatticeNode node = lattice.start("watcher", Map.of("DIOTEC360_PEERS_FILE", peers.toString(),
                    "DIOTEC360_LATTICE_NODES", "http://127.0.0.1:1"));
            assertThat(node.directory().peers()).containsExactly(URI.create("http://127.0.0.1:1"));

            // Kubernetes-style: write a new file and swap a symlink to it.
            Path v1 = dir.resolve("v1.txt");
            Files.writeString(v1, "# peers\n\n" + TestNodes.url(other) + "/\n");
            Files.createSymbolicLink(peers, v1);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.directory().peers()
                    .equals(List.of(URI.create("http://127.0.0.1:1"), TestNodes.url(other))));
            await().atMost(Duration.ofSeconds(10)).until(() -> node.p2p().peerCount() == 1);

            Path v2 = dir.resolve("v2.txt");
            Files.writeString(v2, "http://127.0.0.1:2\n");
            Path tmpLink = dir.resolve("peers.tmp");
            Files.createSymbolicLink(tmpLink, v2);
            Files.move(tmpLink, peers, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.directory().peers()
                    .equals(List.of(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> node.p2p().connectedTo(TestNodes.url(other)) == false);

            Files.writeString(v2, "not a url\n");
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
            assertThat(node.directory().peers())
                    .containsExactly(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"));

            Files.delete(peers);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.directory().peers()
                    .equals(List.of(URI.create("http://127.0.0.1:1"))));
        }
    }
}
