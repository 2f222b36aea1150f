package com.diotec360.lattice.node.sync;

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

/**
 * One reconciliation with one peer over HTTP: compare roots, walk the Merkle trie level by level
 * (one batched request per level) into differing subtrees only, then pull the entries we lack and,
 * when the lattice secret is known, push the entries the peer lacks. Cost: O(d x depth) hashes.
 */
public final class AntiEntropy {
    /** What one reconciliation did. */
    public record Result(String peerNodeName, boolean alreadyEqual, int pulled, int pushed, int roundTrips) {
    }

    private final LatticeState state;
    private final PeerHttpClient client;
    private final Optional<String> secret;

    public AntiEntropy(LatticeState state, PeerHttpClient client, Optional<String> secret) {
        this.state = state;
        this.client = client;
        this.secret = secret;
    }

    public Result reconcile(URI peer) throws IOException {
        PeerHttpClient.StateSummary remote = client.state(peer);
        int trips = 1;
        MerkleIndex local = state.merkle();
        if (remote.merkleRoot().equals(local.rootHex())) {
            return new Result(remote.nodeName(), true, 0, 0, trips);
        }
        List<EntryId> weLack = new ArrayList<>();
        List<EntryId> theyLack = new ArrayList<>();
        List<String> frontier = List.of("");
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (int from = 0; from < frontier.size(); from += PeerHttpClient.MAX_PREFIXES) {
                List<String> chunk = frontier.subList(from, Math.min(frontier.size(), from + PeerHttpClient.MAX_PREFIXES));
                trips++;
                for (PeerHttpClient.TreeNode node : client.tree(peer, chunk)) {
                    compare(local, node, next, weLack, theyLack);
                }
            }
            frontier = next;
        }
        int pulled = 0;
        for (int from = 0; from < weLack.size(); from += PeerHttpClient.MAX_IDS) {
            List<EntryId> ask = weLack.subList(from, Math.min(weLack.size(), from + PeerHttpClient.MAX_IDS));
            while (!ask.isEmpty()) { // the peer caps each answer's size and defers the rest
                PeerHttpClient.Fetched fetched = client.fetch(peer, ask);
                trips++;
                await(state.add(fetched.entries(), peer));
                pulled += fetched.entries().size();
                if (fetched.entries().isEmpty() && !fetched.deferred().isEmpty()) {
                    throw new IOException("peer deferred " + fetched.deferred().size() + " ids without sending any");
                }
                ask = fetched.deferred().size() < ask.size() ? fetched.deferred() : List.of();
            }
        }
        int pushed = 0;
        if (secret.isPresent() && !theyLack.isEmpty()) {
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
                    client.push(peer, batch, secret.get());
                    trips++;
                    pushed += batch.size();
                    batch = new ArrayList<>();
                    batchBytes = 0;
                }
            }
            if (!batch.isEmpty()) {
                client.push(peer, batch, secret.get());
                trips++;
                pushed += batch.size();
            }
        }
        return new Result(remote.nodeName(), false, pulled, pushed, trips);
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
            throw new IOException("could not store pulled entries: " + e.getMessage(), e);
        }
    }
}
