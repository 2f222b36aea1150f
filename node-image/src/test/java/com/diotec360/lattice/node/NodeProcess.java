package com.diotec360.lattice.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lattice node as a real child JVM ({@link LatticeNodeMain} on the test class path): waits for its
 * ready line, keeps every output line (memory and a log file), reads its RSS from /proc, kills it.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("lattice-node ready .*http_port=(-?\\d+) p2p_port=(-?\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final int httpPort;
    private final int p2pPort;

    private NodeProcess(Process process, Path logFile) throws Exception {
        this.process = process;
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    log.println(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                    }
                }
                ports.completeExceptionally(new IllegalStateException("node exited before it was ready; output: "
                        + output));
            } catch (Exception e) {
                ports.completeExceptionally(e);
            }
        }, "node-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        int[] p = ports.get(30, TimeUnit.SECONDS);
        this.httpPort = p[0];
        this.p2pPort = p[1];
    }

    /**
     * Starts a node with {@link TestNodes#env} plus {@code overrides} and extra JVM options; its output
     * also goes to {@code stateDir}/../{@code name}.log. Returns once it printed its ready line.
     */
    public static NodeProcess start(String name, Path stateDir, Map<String, String> overrides, List<String> jvmOptions)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LatticeNodeMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(TestNodes.env(name, stateDir));
        pb.environment().putAll(overrides);
        pb.redirectErrorStream(true);
        Files.createDirectories(stateDir.toAbsolutePath().getParent());
        return new NodeProcess(pb.start(), stateDir.toAbsolutePath().getParent().resolve(name + ".log"));
    }

    public int httpPort() {
        return httpPort;
    }

    public int p2pPort() {
        return p2pPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every line the node printed so far (stdout and stderr). */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Resident set size in KiB from /proc (Linux), or -1 where there is no /proc. */
    public long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGKILL (no shutdown hook runs, nothing is flushed) and wait for the process to be gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
