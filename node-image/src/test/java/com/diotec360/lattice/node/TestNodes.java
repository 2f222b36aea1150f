package com.diotec360.lattice.node;

import com.diotec360.lattice.node.config.NodeConfig;
import com.diotec360.lattice.node.config.NodeConfigLoader;
import com.diotec360.lattice.node.mode.SyncMode;
import com.diotec360.lattice.node.state.Entry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Starts real nodes in-process on loopback with free ports and short timeouts; stops them all. */
public final class TestNodes implements AutoCloseable {
    public static final String SECRET = "test-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path root;
    private final List<LatticeNode> nodes = new ArrayList<>();

    public TestNodes(Path root) {
        this.root = root;
    }

    public static Map<String, String> env(String name, Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put(NodeConfigLoader.NODE_NAME, name);
        env.put(NodeConfigLoader.STATE_DIR, stateDir.toString());
        env.put(NodeConfigLoader.HTTP_PORT, "0");
        env.put(NodeConfigLoader.P2P_PORT, "0");
        env.put(NodeConfigLoader.BIND_ADDRESS, "127.0.0.1");
        env.put(NodeConfigLoader.LATTICE_SECRET, SECRET);
        env.put(NodeConfigLoader.HEARTBEAT_INTERVAL, "1");
        env.put(NodeConfigLoader.PEERLESS_TIMEOUT, "2");
        env.put(NodeConfigLoader.HTTP_POLL_INTERVAL, "1");
        env.put(NodeConfigLoader.PEERS_FILE_POLL_MS, "100");
        return env;
    }

    public LatticeNode start(String name, Map<String, String> overrides) throws IOException {
        Map<String, String> env = env(name, root.resolve(name));
        env.putAll(overrides);
        NodeConfig config = NodeConfigLoader.load(env);
        LatticeNode node = new LatticeNode(config).start();
        nodes.add(node);
        return node;
    }

    /** Starts {@code count} nodes and gives each the others as peers. */
    public List<LatticeNode> startMesh(int count, Map<String, String> overrides) throws IOException {
        List<LatticeNode> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(start("node-" + i, overrides));
        }
        for (LatticeNode n : started) {
            n.directory().replace(started.stream().filter(o -> o != n).map(TestNodes::url)
                    .collect(Collectors.toList()), "test");
        }
        return started;
    }

    public static URI url(LatticeNode node) {
        return URI.create("http://127.0.0.1:" + node.httpPort());
    }

    public static boolean sameRoot(List<LatticeNode> nodes) {
        return nodes.stream().map(n -> n.state().merkleRoot()).distinct().count() == 1;
    }

    public static void write(LatticeNode node, String... data) throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (String d : data) {
            entries.add(Entry.ofText(d));
        }
        node.state().add(entries, "test").get(10, TimeUnit.SECONDS);
    }

    public static boolean inMode(LatticeNode node, SyncMode mode) {
        return node.modes().current() == mode;
    }

    public static HttpResponse<String> get(LatticeNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(node) + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(LatticeNode node, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(node) + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> send(LatticeNode node, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(node) + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static Path tempDir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    @Override
    public void close() {
        nodes.forEach(LatticeNode::close);
        nodes.clear();
    }
}
