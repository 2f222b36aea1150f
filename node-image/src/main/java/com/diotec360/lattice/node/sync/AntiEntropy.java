package com.diotec360.lattice.node.sync;

import com.diotec360.lattice.node.api.SyncEndpoints;
import com.diotec360.lattice.node.state.Entry;
import com.diotec360.lattice.node.state.EntryId;
import com.diotec360.lattice.node.state.LatticeState;
import com.diotec360.lattice.node.state.MerkleIndex;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One reconciliation with one peer over HTTP. Two ways to pull, chosen by price:
 * <ul>
 *   <li><b>walk</b>: walk the Merkle trie level by level (one batched request per level) into differing
 *   subtrees only, then fetch the entries we lack by id. Cost O(d x depth) hashes: cheap when the
 *   difference d is small, but every differing inner node costs 16 hex hashes (about 1.2 KB), so for a
 *   large d it costs several times the state itself.</li>
 *   <li><b>full transfer</b>: page through the peer's whole listing (GET /api/lattice/entries), keep
 *   what we lack, and see from each page which of our ids the peer lacks. Cost = one copy of the peer's
 *   state.</li>
 * </ul>
 * The price of a full copy is known before anything is walked (entry count and data bytes from the
 * peer's /api/lattice/state; 85 bytes an entry when an older peer does not report its data bytes, a
 * lower bound). The walk is skipped when its expected cost for the difference the entry counts already
 * prove is higher, and abandoned for a full transfer before any level whose least cost would take the
 * bytes spent past a full copy. So the bytes moved stay below about two full copies plus the fetches
 * of what we lack (measured: at most 1.3 full copies, {@code AntiEntropyCostTest}, README benchmark).
 * Both ways then push, with the lattice secret, the entries the peer lacks (set union, nothing deleted).
 */
public final class AntiEntropy {
    /** How the entries were pulled. */
    public enum Method { NONE, WALK, FULL_TRANSFER }

    /** Which pull to use; {@link #AUTO} prices both, the others exist for the benchmark and tests. */
    public enum Strategy { AUTO, WALK_ONLY, FULL_ONLY }

    /** What one reconciliation did; {@code bytes} = request and response bodies of this reconciliation. */
    public record Result(String peerNodeName, boolean alreadyEqual, int pulled, int pushed, int roundTrips,
                         long bytes, Method method) {
    }

    /** Storing pulled entries failed here: the fault is this node's, not the peer's. */
    public static final class LocalStoreException extends IOException {
        LocalStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // JSON sizes of the protocol's parts (compact Jackson output), for pricing. See SyncEndpoints.
    /** One inner tree node asked for and answered: prefix, hash and 16 quoted 64-hex child hashes. */
    static final int INNER_NODE_BYTES = 1_180;
    /** One leaf asked for and answered, without its ids. */
    static final int LEAF_NODE_BYTES = 107;
    /** One quoted 64-hex id with its comma (a leaf's ids, a fetch request). */
    static final int ID_BYTES = 67;
    /** One listed or fetched entry without its data: {"id":"<64 hex>","data":""} and a comma. */
    static final int ENTRY_BYTES = 85;
    /** A page's fixed part and HTTP-less envelope: {"entries":[],"next_after":"<64 hex>"}. */
    static final int PAGE_BYTES = 100;

    private final LatticeState state;
    private final PeerHttpClient client;
    private final Optional<String> secret;
    private final Strategy strategy;
    private final int pageLimit;

    public AntiEntropy(LatticeState state, PeerHttpClient client, Optional<String> secret) {
        this(state, client, secret, Strategy.AUTO);
    }

    public AntiEntropy(LatticeState state, PeerHttpClient client, Optional<String> secret, Strategy strategy) {
        this(state, client, secret, strategy, SyncEndpoints.MAX_PAGE);
    }

    private AntiEntropy(LatticeState state, PeerHttpClient client, Optional<String> secret, Strategy strategy,
                        int pageLimit) {
        this.state = state;
        this.client = client;
        this.secret = secret;
        this.strategy = strategy;
        this.pageLimit = pageLimit;
    }

    /** The same reconciliation with another client (e.g. other timeouts) and the same secret. */
    public AntiEntropy with(PeerHttpClient other) {
        return new AntiEntropy(state, other, secret, strategy, pageLimit);
    }

    /** Small pages, so that tests cross many page boundaries with few entries. */
    AntiEntropy withPageLimit(int limit) {
        return new AntiEntropy(state, client, secret, strategy, limit);
    }

    public Result reconcile(URI peer) throws IOException {
        AtomicLong bytes = new AtomicLong();
        PeerHttpClient http = client.counting(bytes);
        PeerHttpClient.StateSummary remote = http.state(peer);
        int[] trips = {1};
        MerkleIndex local = state.merkle();
        if (remote.merkleRoot().equals(local.rootHex())) {
            return new Result(remote.nodeName(), true, 0, 0, trips[0], bytes.get(), Method.NONE);
        }
        long theirs = Math.max(0, remote.entries());
        long fullCopy = fullCopyBytes(theirs, remote.dataBytes());
        double avgData = remote.dataBytes() > 0 && theirs > 0 ? (double) remote.dataBytes() / theirs : 0;
        long ours = state.size();
        // The counts alone prove at least |theirs - ours| differing ids, at least theirs - ours of them ours to pull.
        long provenDiff = Math.abs(theirs - ours);
        boolean full = switch (strategy) {
            case FULL_ONLY -> true;
            case WALK_ONLY -> false;
            case AUTO -> expectedWalkBytes(provenDiff, Math.max(0, theirs - ours), theirs, avgData) > fullCopy;
        };
        List<EntryId> theyLack = new ArrayList<>();
        int pulled;
        Method method;
        if (full) {
            pulled = fullTransfer(http, peer, theyLack, trips);
            method = Method.FULL_TRANSFER;
        } else {
            List<EntryId> weLack = new ArrayList<>();
            boolean finished = walk(http, peer, local, weLack, theyLack, trips, bytes, fullCopy, theirs);
            if (finished && (strategy != Strategy.AUTO
                    || weLack.size() * (ID_BYTES + ENTRY_BYTES + avgData) <= fullCopy)) {
                pulled = fetch(http, peer, weLack, trips);
                method = Method.WALK;
            } else { // the walk would cost more than a copy from here on: take the copy instead
                theyLack.clear();
                pulled = fullTransfer(http, peer, theyLack, trips);
                method = Method.FULL_TRANSFER;
            }
        }
        int pushed = push(http, peer, theyLack, trips);
        return new Result(remote.nodeName(), false, pulled, pushed, trips[0], bytes.get(), method);
    }

    /** Bytes of one copy of a peer's state through the paged listing (a lower bound when data bytes are unknown). */
    static long fullCopyBytes(long entries, long dataBytes) {
        long pages = entries / SyncEndpoints.MAX_PAGE + 1;
        return entries * ENTRY_BYTES + Math.max(0, dataBytes) + pages * PAGE_BYTES;
    }

    /**
     * Expected bytes of a walk that finds {@code diff} differing ids (ids are SHA-256, so spread evenly)
     * among a peer's {@code theirs}, then fetches {@code weLack} entries: a node at level L differs with
     * probability 1 - (1 - 16^-L)^diff.
     */
    static double expectedWalkBytes(long diff, long weLack, long theirs, double avgData) {
        if (diff == 0) {
            return 0;
        }
        double bytes = 0;
        for (int level = 0; level <= MerkleIndex.DEPTH; level++) {
            double nodes = Math.pow(MerkleIndex.FANOUT, level);
            double differing = nodes * -Math.expm1(diff * Math.log1p(-1 / nodes));
            bytes += differing * (level < MerkleIndex.DEPTH ? INNER_NODE_BYTES : leafBytes(theirs));
        }
        return bytes + weLack * (ID_BYTES + ENTRY_BYTES + avgData);
    }

    private static double leafBytes(long theirs) {
        double leaves = Math.pow(MerkleIndex.FANOUT, MerkleIndex.DEPTH);
        return LEAF_NODE_BYTES + ID_BYTES * Math.max(1, theirs / leaves);
    }

    /**
     * Walks the trie into differing subtrees. Under {@link Strategy#AUTO} it stops (false) before a level
     * whose least cost (each frontier node and at least one differing node below it on every deeper
     * level) would take this reconciliation's bytes past a full copy.
     */
    private boolean walk(PeerHttpClient http, URI peer, MerkleIndex local, List<EntryId> weLack,
                         List<EntryId> theyLack, int[] trips, AtomicLong bytes, long fullCopy, long theirs)
            throws IOException {
        List<String> frontier = List.of("");
        while (!frontier.isEmpty()) {
            int level = frontier.get(0).length();
            double least = frontier.size() * ((MerkleIndex.DEPTH - level) * (double) INNER_NODE_BYTES
                    + leafBytes(theirs));
            if (strategy == Strategy.AUTO && bytes.get() + least > fullCopy) {
                return false;
            }
            List<String> next = new ArrayList<>();
            for (int from = 0; from < frontier.size(); from += PeerHttpClient.MAX_PREFIXES) {
                List<String> chunk = frontier.subList(from, Math.min(frontier.size(), from + PeerHttpClient.MAX_PREFIXES));
                trips[0]++;
                for (PeerHttpClient.TreeNode node : http.tree(peer, chunk)) {
                    compare(local, node, next, weLack, theyLack);
                }
            }
            frontier = next;
        }
        return true;
    }

    private int fetch(PeerHttpClient http, URI peer, List<EntryId> weLack, int[] trips) throws IOException {
        int pulled = 0;
        for (int from = 0; from < weLack.size(); from += PeerHttpClient.MAX_IDS) {
            List<EntryId> ask = weLack.subList(from, Math.min(weLack.size(), from + PeerHttpClient.MAX_IDS));
            while (!ask.isEmpty()) { // the peer caps each answer's size and defers the rest
                PeerHttpClient.Fetched fetched = http.fetch(peer, ask);
                trips[0]++;
                await(state.add(fetched.entries(), peer));
                pulled += fetched.entries().size();
                if (fetched.entries().isEmpty() && !fetched.deferred().isEmpty()) {
                    throw new IOException("peer deferred " + fetched.deferred().size() + " ids without sending any");
                }
                ask = fetched.deferred().size() < ask.size() ? fetched.deferred() : List.of();
            }
        }
        return pulled;
    }

    /**
     * Pages through the peer's whole listing in id order, storing what we lack. Each page covers the ids
     * after the previous page's end up to its own {@code next_after} (the last page: all the rest), so our
     * ids in that range that the page does not hold are ones the peer lacks: collected when we can push.
     */
    private int fullTransfer(PeerHttpClient http, URI peer, List<EntryId> theyLack, int[] trips) throws IOException {
        boolean wantTheirGaps = secret.isPresent();
        int pulled = 0;
        EntryId after = null;
        do {
            PeerHttpClient.Page page = http.entriesPage(peer, after, pageLimit);
            trips[0]++;
            EntryId upTo = page.nextAfter();
            if (upTo != null && after != null && upTo.compareTo(after) <= 0) {
                throw new IOException("peer's listing does not advance: next_after " + upTo.hex() + " after "
                        + after.hex());
            }
            List<Entry> fresh = new ArrayList<>();
            Set<EntryId> listed = wantTheirGaps ? new HashSet<>() : null;
            for (Entry e : page.entries()) {
                if ((after != null && e.id().compareTo(after) <= 0) || (upTo != null && e.id().compareTo(upTo) > 0)) {
                    throw new IOException("peer listed entry " + e.id().hex() + " outside its page's id range");
                }
                if (listed != null) {
                    listed.add(e.id());
                }
                if (!state.contains(e.id())) {
                    fresh.add(e);
                }
            }
            if (!fresh.isEmpty()) {
                await(state.add(fresh, peer));
                pulled += fresh.size();
            }
            if (listed != null) {
                for (EntryId id : state.idsBetween(after, upTo)) {
                    if (!listed.contains(id)) {
                        theyLack.add(id);
                    }
                }
            }
            after = upTo;
        } while (after != null);
        return pulled;
    }

    private int push(PeerHttpClient http, URI peer, List<EntryId> theyLack, int[] trips) throws IOException {
        int pushed = 0;
        if (secret.isEmpty() || theyLack.isEmpty()) {
            return 0;
        }
        List<Entry> batch = new ArrayList<>();
        int batchBytes = 0;
        for (EntryId id : theyLack) {
            Optional<Entry> e = state.get(id);
            if (e.isEmpty()) {
                continue;
            }
            batch.add(e.get());
            batchBytes += e.get().data().length + 16;
            if (batchBytes >= PeerHttpClient.PUSH_BYTES || batch.size() >= PeerHttpClient.MAX_IDS) {
                http.push(peer, batch, secret.get());
                trips[0]++;
                pushed += batch.size();
                batch = new ArrayList<>();
                batchBytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            http.push(peer, batch, secret.get());
            trips[0]++;
            pushed += batch.size();
        }
        return pushed;
    }

    private static void compare(MerkleIndex local, PeerHttpClient.TreeNode node, List<String> next,
                                List<EntryId> weLack, List<EntryId> theyLack) throws IOException {
        String prefix = node.prefix();
        if (!MerkleIndex.isValidPrefix(prefix)) {
            throw new IOException("peer answered an invalid tree prefix '" + prefix + "'");
        }
        if (node.children() != null) {
            List<String> mine = local.childHashes(prefix);
            if (node.children().size() != MerkleIndex.FANOUT) {
                throw new IOException("peer answered " + node.children().size() + " children for '" + prefix + "'");
            }
            for (int i = 0; i < MerkleIndex.FANOUT; i++) {
                if (!mine.get(i).equals(node.children().get(i))) {
                    next.add(prefix + Integer.toHexString(i));
                }
            }
        } else if (node.ids() != null) {
            Set<EntryId> theirs = new HashSet<>();
            for (String hex : node.ids()) {
                theirs.add(EntryId.fromHex(hex));
            }
            Set<EntryId> mineSet = new HashSet<>(local.leafIds(prefix));
            for (EntryId id : theirs) {
                if (!mineSet.contains(id)) {
                    weLack.add(id);
                }
            }
            theirs.forEach(mineSet::remove);
            theyLack.addAll(mineSet);
        }
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> f) throws IOException {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing pulled entries", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LocalStoreException("could not store pulled entries: " + e.getMessage(), e);
        }
    }
}
