package com.diotec360.lattice.node.sync;

import com.diotec360.lattice.node.config.PeerUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the peer-list file's content hash (not WatchService: Kubernetes swaps a ConfigMap volume
 * through a symlink, which WatchService misses). The node syncs with the environment list
 * ({@code DIOTEC360_LATTICE_NODES}, fixed at start: the node's own extra peers) and the file's
 * list (live: the lattice's members), united, the environment's first; when the file disappears
 * the environment list alone applies. A file with a bad URL is reported and ignored, keeping the
 * last good list. The node's own address may be in the file (one list serves every member): the
 * node recognises itself by the name a peer answers with and leaves itself out.
 */
public final class PeerListFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerListFileWatcher.class);

    private final Path file;
    private final List<URI> envPeers;
    private final PeerDirectory directory;
    private final ScheduledExecutorService scheduler;
    private byte[] lastHash = new byte[0];

    public PeerListFileWatcher(Path file, List<URI> envPeers, PeerDirectory directory, Duration interval) {
        this.file = file;
        this.envPeers = List.copyOf(envPeers);
        this.directory = directory;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer-list-watcher");
            t.setDaemon(true);
            return t;
        });
        check();
        scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void check() {
        try {
            byte[] content = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            byte[] hash = content == null ? new byte[] {0}
                    : MessageDigest.getInstance("SHA-256").digest(content);
            if (Arrays.equals(hash, lastHash)) {
                return;
            }
            lastHash = hash;
            if (content == null) {
                directory.replace(envPeers, "environment (peer-list file " + file + " absent)");
                return;
            }
            List<String> problems = new ArrayList<>();
            List<URI> peers = PeerUrls.parseLines(new String(content, StandardCharsets.UTF_8), problems,
                    file.toString());
            if (!problems.isEmpty()) {
                LOG.atWarn().addKeyValue("event", "peer_list_rejected").addKeyValue("problems", problems.toString())
                        .log("Peer-list file has invalid lines; keeping the previous peer list");
                return;
            }
            List<URI> united = new ArrayList<>(envPeers);
            peers.stream().filter(p -> !united.contains(p)).forEach(united::add);
            directory.replace(united, "environment and file " + file);
        } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
            LOG.warn("Could not read peer-list file {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
