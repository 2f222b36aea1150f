package com.diotec360.lattice.node;

import com.diotec360.lattice.node.state.Entry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash safety: a real node process is killed with SIGKILL while a client writes; after a restart on
 * the same state directory every acknowledged entry is there. Repeated for several cycles.
 */
class CrashSafetyIT {
    private static final int CYCLES = 6;
    private static final Pattern READY = Pattern.compile("lattice-node ready .*http_port=(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void acknowledgedEntriesSurviveSigkill() throws Exception {
        List<String> acked = new CopyOnWriteArrayList<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Process node = launch();
            try {
                int port = awaitReadyPort(node);
                assertAllPresent(port, acked);
                int ackedBefore = acked.size();
                AtomicBoolean stop = new AtomicBoolean();
                int c = cycle;
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeUntilFailure(port, c, acked, stop));
                await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= ackedBefore + 20);
                long extraMillis = ThreadLocalRandom.current().nextLong(0, 300);
                await().pollDelay(Duration.ofMillis(extraMillis)).until(() -> true);
                node.destroyForcibly();               // SIGKILL on Unix
                node.waitFor(10, TimeUnit.SECONDS);
                stop.set(true);
                writer.get(20, TimeUnit.SECONDS);
            } finally {
                node.destroyForcibly();
            }
        }
        Process last = launch();
        try {
            assertAllPresent(awaitReadyPort(last), acked);
            assertThat(acked.size()).isGreaterThan(CYCLES * 20);
        } finally {
            last.destroyForcibly();
            last.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process launch() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LatticeNodeMain.class.getName());
        pb.environment().putAll(TestNodes.env("crash-node", dir.resolve("state")));
        pb.environment().put("DIOTEC360_P2P_ENABLED", "false");
        pb.environment().put("DIOTEC360_SNAPSHOT_MIN_RECORDS", "200");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static int awaitReadyPort(Process process) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("node exited before it was ready"));
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(30, TimeUnit.SECONDS);
    }

    private static void writeUntilFailure(int port, int cycle, List<String> acked, AtomicBoolean stop) {
        int i = 0;
        while (!stop.get()) {
            List<String> batch = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"entries\":[");
            for (int k = 0; k < 5; k++) {
                String data = "cycle" + cycle + "-entry" + (i++);
                batch.add(data);
                body.append(k == 0 ? "" : ",").append("{\"data\":\"").append(data).append("\"}");
            }
            body.append("]}");
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/api/lattice/entries")).header("Authorization", "Bearer " + TestNodes.SECRET)
                        .timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    acked.addAll(batch);
                }
            } catch (Exception e) {
                return; // the node is gone; unacknowledged entries may or may not survive
            }
        }
    }

    private static void assertAllPresent(int port, List<String> acked) throws Exception {
        for (int from = 0; from < acked.size(); from += 5000) {
            StringBuilder ids = new StringBuilder("{\"ids\":[");
            List<String> chunk = acked.subList(from, Math.min(acked.size(), from + 5000));
            for (int k = 0; k < chunk.size(); k++) {
                ids.append(k == 0 ? "" : ",").append('"').append(Entry.ofText(chunk.get(k)).id().hex()).append('"');
            }
            ids.append("]}");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/lattice/entries/fetch")).POST(HttpRequest.BodyPublishers.ofString(ids.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode missing = JSON.readTree(r.body()).get("missing");
            assertThat(missing).as("acknowledged entries lost after SIGKILL").isEmpty();
        }
    }
}
