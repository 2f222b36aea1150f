package com.diotec360.lattice.node.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's replicated state: a grow-only, content-addressed set of entries, durable in an
 * {@link EntryLog} and fingerprinted by a {@link MerkleIndex}. Replication is set union, so applying
 * the same entry twice, or in any order, always converges.
 */
public final class LatticeState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LatticeState.class);

    /**
     * Root, entry count (the state's version) and last change time as they were at one moment: the
     * three are read under the lock every applied batch holds, so they never mix two versions.
     */
    public record Summary(String merkleRoot, int entries, Instant updatedAt, long dataBytes) {
    }

    /** Told about entries that became durable and visible; {@code origin} is whoever supplied them. */
    public interface Listener {
        void onApplied(List<Entry> entries, Object origin);
    }

    private final ConcurrentSkipListMap<EntryId, Entry> entries = new ConcurrentSkipListMap<>();
    private final AtomicInteger count = new AtomicInteger();
    /** Sum of the data bytes of every entry: lets a peer price a full copy of this state before it asks. */
    private final AtomicLong dataBytes = new AtomicLong();
    private final MerkleIndex merkle = new MerkleIndex();
    /**
     * Held while a batch is applied and while a {@link #summary()} is read. Taken once per batch (not per
     * entry); the root is computed lazily inside the summary, so writes do no hashing they did not do before.
     */
    private final Object versionLock = new Object();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Path dir;
    private final Clock clock;
    private final EntryLog log;
    private volatile Instant updatedAt;

    private LatticeState(Path dir, int snapshotMinRecords, Clock clock) throws IOException {
        this.dir = dir;
        this.clock = clock;
        long started = System.nanoTime();
        List<byte[]> recovered = EntryLog.recover(dir);
        for (byte[] data : recovered) {
            Entry entry = Entry.of(data);
            if (entries.putIfAbsent(entry.id(), entry) == null) {
                merkle.add(entry.id());
                count.incrementAndGet();
                dataBytes.addAndGet(data.length);
            }
        }
        this.updatedAt = clock.instant();
        this.log = EntryLog.open(dir, snapshotMinRecords, EntryLog.logRecordCount(dir), this::applyDurable,
                entries::values, count::get);
        LOG.atInfo().addKeyValue("event", "state_loaded").addKeyValue("entries", count.get())
                .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
                .addKeyValue("state_dir", dir.toString()).log("State loaded from snapshot and log");
    }

    public static LatticeState open(Path dir, int snapshotMinRecords, Clock clock) throws IOException {
        return new LatticeState(dir, snapshotMinRecords, clock);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** How many listeners are registered (diagnostics: a part that stopped must have removed its own). */
    public int listenerCount() {
        return listeners.size();
    }

    /**
     * Makes the given entries durable and visible. Entries already present are skipped; a concurrent
     * duplicate may be logged twice, which replay absorbs. The future completes after fsync and apply.
     */
    public CompletableFuture<Void> add(List<Entry> candidates, Object origin) {
        Map<EntryId, Entry> fresh = new LinkedHashMap<>();
        for (Entry e : candidates) {
            if (!entries.containsKey(e.id())) {
                fresh.putIfAbsent(e.id(), e);
            }
        }
        if (fresh.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return log.append(List.copyOf(fresh.values()), origin);
    }

    private void applyDurable(List<Entry> batch, Object origin) {
        List<Entry> applied = new ArrayList<>(batch.size());
        synchronized (versionLock) {
            for (Entry e : batch) {
                if (entries.putIfAbsent(e.id(), e) == null) {
                    merkle.add(e.id());
                    count.incrementAndGet();
                    dataBytes.addAndGet(e.data().length);
                    applied.add(e);
                }
            }
            if (applied.isEmpty()) {
                return;
            }
            updatedAt = clock.instant();
        }
        for (Listener l : listeners) {
            try {
                l.onApplied(applied, origin);
            } catch (RuntimeException e) {
                LOG.warn("State listener failed: {}", e.toString());
            }
        }
    }

    public Optional<Entry> get(EntryId id) {
        return Optional.ofNullable(entries.get(id));
    }

    public boolean contains(EntryId id) {
        return entries.containsKey(id);
    }

    /** The number of entries; to report it with the root, use {@link #summary()}. */
    public int size() {
        return count.get();
    }

    /** Entries in id order strictly after {@code after} (null = from the start), at most {@code limit}. */
    public List<Entry> page(EntryId after, int limit) {
        Collection<Entry> tail = after == null ? entries.values() : entries.tailMap(after, false).values();
        List<Entry> out = new ArrayList<>(Math.min(limit, 1024));
        for (Entry e : tail) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /**
     * Ids in id order strictly after {@code after} and up to and including {@code upTo} (null = no bound
     * on that side). Anti-entropy's full transfer uses it to see which of ours a peer's page lacks.
     */
    public List<EntryId> idsBetween(EntryId after, EntryId upTo) {
        var range = after == null
                ? (upTo == null ? entries : entries.headMap(upTo, true))
                : (upTo == null ? entries.tailMap(after, false) : entries.subMap(after, false, upTo, true));
        return new ArrayList<>(range.keySet());
    }

    public MerkleIndex merkle() {
        return merkle;
    }

    /** The current root; to report it with the entry count, use {@link #summary()}. */
    public String merkleRoot() {
        return merkle.rootHex();
    }

    /** Root, entry count and update time of one and the same version of the state. */
    public Summary summary() {
        synchronized (versionLock) {
            return new Summary(merkle.rootHex(), count.get(), updatedAt, dataBytes.get());
        }
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** Null when the node can persist writes; otherwise the reason it cannot. */
    public String unhealthyReason() {
        if (log.failure() != null) {
            return "entry log failed: " + log.failure();
        }
        if (!Files.isWritable(dir)) {
            return "state directory " + dir + " is not writable";
        }
        return null;
    }

    @Override
    public void close() {
        log.close();
    }
}
