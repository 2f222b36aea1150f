package com.diotec360.lattice.node.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Append-only, group-committed entry log plus snapshot. One writer thread drains every pending
 * batch, writes them, calls {@code fsync} once, hands the batch to {@code onDurable} and only then
 * completes the callers' futures. When the log has grown as large as the state, the writer writes a
 * snapshot (temp file, fsync, atomic rename, fsync directory) and empties the log; a crash between
 * those steps only duplicates entries, which the grow-only set absorbs.
 */
public final class EntryLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EntryLog.class);
    static final String LOG_FILE = "entries.log";
    static final String SNAPSHOT_FILE = "snapshot.dat";
    static final String SNAPSHOT_TMP = "snapshot.tmp";

    private record Pending(List<Entry> entries, Object origin, CompletableFuture<Void> done) {
    }

    private final Path dir;
    private final int snapshotMinRecords;
    private final BiConsumer<List<Entry>, Object> onDurable;
    private final Supplier<Collection<Entry>> allEntries;
    private final IntSupplier stateSize;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final FileChannel channel;
    private long recordsSinceSnapshot;
    private volatile boolean running = true;
    private volatile String failure;

    private EntryLog(Path dir, int snapshotMinRecords, long existingLogRecords,
                     BiConsumer<List<Entry>, Object> onDurable, Supplier<Collection<Entry>> allEntries,
                     IntSupplier stateSize) throws IOException {
        this.dir = dir;
        this.snapshotMinRecords = snapshotMinRecords;
        this.onDurable = onDurable;
        this.allEntries = allEntries;
        this.stateSize = stateSize;
        this.recordsSinceSnapshot = existingLogRecords;
        this.channel = FileChannel.open(dir.resolve(LOG_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        this.writer = new Thread(this::runWriter, "entry-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Reads snapshot and log (dropping a torn tail) and returns every stored entry payload. */
    public static List<byte[]> recover(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(SNAPSHOT_TMP));
        List<byte[]> payloads = new ArrayList<>();
        Path snapshot = dir.resolve(SNAPSHOT_FILE);
        if (Files.exists(snapshot)) {
            payloads.addAll(RecordFile.read(snapshot).payloads());
        }
        Path log = dir.resolve(LOG_FILE);
        if (Files.exists(log)) {
            RecordFile.ReadResult result = RecordFile.read(log);
            if (result.tornTail()) {
                LOG.atWarn().addKeyValue("event", "torn_log_tail_dropped")
                        .addKeyValue("valid_bytes", result.validLength())
                        .addKeyValue("dropped_bytes", result.fileLength() - result.validLength())
                        .log("Entry log ends with an incomplete record (crash during write); dropping it");
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    ch.truncate(result.validLength());
                    ch.force(true);
                }
            }
            payloads.addAll(result.payloads());
        }
        return payloads;
    }

    public static long logRecordCount(Path dir) throws IOException {
        Path log = dir.resolve(LOG_FILE);
        return Files.exists(log) ? RecordFile.read(log).payloads().size() : 0;
    }

    public static EntryLog open(Path dir, int snapshotMinRecords, long existingLogRecords,
                                BiConsumer<List<Entry>, Object> onDurable, Supplier<Collection<Entry>> allEntries,
                                IntSupplier stateSize) throws IOException {
        return new EntryLog(dir, snapshotMinRecords, existingLogRecords, onDurable, allEntries, stateSize);
    }

    /** Queues entries; the future completes once they are fsync'd and handed to {@code onDurable}. */
    public CompletableFuture<Void> append(List<Entry> entries, Object origin) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (failure != null) {
            done.completeExceptionally(new IOException("entry log is not writable: " + failure));
        } else if (!running) {
            done.completeExceptionally(new IOException("node is shutting down"));
        } else {
            queue.add(new Pending(entries, origin, done));
        }
        return done;
    }

    /** Null while healthy; otherwise why the log cannot accept writes. */
    public String failure() {
        return failure;
    }

    private void runWriter() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<Entry> entries = new ArrayList<>();
        for (Pending p : batch) {
            entries.addAll(p.entries());
        }
        try {
            if (failure != null) {
                throw new IOException(failure);
            }
            write(entries, channel);
            channel.force(false);
            recordsSinceSnapshot += entries.size();
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.atError().addKeyValue("event", "entry_log_failed").addKeyValue("reason", failure)
                        .log("Entry log write failed; the node refuses writes until restarted");
            }
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (Pending p : batch) {
            try {
                onDurable.accept(p.entries(), p.origin());
            } finally {
                p.done().complete(null);
            }
        }
        maybeSnapshot();
    }

    private static void write(Collection<Entry> entries, FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        for (Entry entry : entries) {
            int size = RecordFile.encodedSize(entry.data());
            if (buffer.remaining() < size) {
                buffer.flip();
                writeFully(channel, buffer);
                buffer = ByteBuffer.allocate(Math.max(64 * 1024, size));
            }
            RecordFile.encode(entry.data(), buffer);
        }
        buffer.flip();
        writeFully(channel, buffer);
    }

    private static void writeFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
        buffer.clear();
    }

    private void maybeSnapshot() {
        if (recordsSinceSnapshot < Math.max(snapshotMinRecords, stateSize.getAsInt())) {
            return;
        }
        Collection<Entry> all = allEntries.get();
        long started = System.nanoTime();
        Path tmp = dir.resolve(SNAPSHOT_TMP);
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                write(all, out);
                out.force(true);
            }
            Files.move(tmp, dir.resolve(SNAPSHOT_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
            channel.truncate(0);
            channel.force(true);
            recordsSinceSnapshot = 0;
            LOG.atInfo().addKeyValue("event", "snapshot_written").addKeyValue("entries", all.size())
                    .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
                    .log("Snapshot written, entry log emptied");
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("event", "snapshot_failed").addKeyValue("reason", String.valueOf(e.getMessage()))
                    .log("Snapshot failed; the log keeps every entry and the next snapshot will retry");
        }
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("Directory fsync not supported here: {}", e.getMessage());
        }
    }

    /** Stops accepting writes, commits what is queued and closes the file. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            LOG.warn("Closing the entry log failed: {}", e.getMessage());
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IOException("node is shutting down"));
        }
    }
}
