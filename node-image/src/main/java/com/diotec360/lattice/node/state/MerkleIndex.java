package com.diotec360.lattice.node.state;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A fixed-shape Merkle tree over entry ids: a hex trie of depth {@value #DEPTH} with fan-out 16.
 * Node "abc" covers every id whose hex starts with "abc"; the 65,536 leaves (4 hex digits) hold the
 * ids themselves. Leaf hash = SHA-256 over its sorted ids; inner hash = SHA-256 over its 16 child
 * hashes; the root is the state's fingerprint. Hashes are recomputed lazily for dirty paths only.
 * Two nodes find d differing ids with about d x {@value #DEPTH} x 16 hashes plus the ids of d leaves.
 */
public final class MerkleIndex {
    public static final int DEPTH = 4;
    public static final int FANOUT = 16;
    private static final HexFormat HEX = HexFormat.of();

    @SuppressWarnings("unchecked")
    private final TreeSet<EntryId>[] leaves = new TreeSet[1 << (4 * DEPTH)];
    private final byte[][][] hashes = new byte[DEPTH + 1][][];
    private final boolean[][] dirty = new boolean[DEPTH + 1][];

    public MerkleIndex() {
        for (int level = 0; level <= DEPTH; level++) {
            int size = 1 << (4 * level);
            hashes[level] = new byte[size][];
            dirty[level] = new boolean[size];
            java.util.Arrays.fill(dirty[level], true);
        }
    }

    /** Adds an id; returns false if it was already present. */
    public synchronized boolean add(EntryId id) {
        int leaf = id.leafIndex();
        TreeSet<EntryId> set = leaves[leaf];
        if (set == null) {
            set = new TreeSet<>();
            leaves[leaf] = set;
        }
        if (!set.add(id)) {
            return false;
        }
        for (int level = DEPTH; level >= 0; level--) {
            dirty[level][leaf >> (4 * (DEPTH - level))] = true;
        }
        return true;
    }

    public synchronized String rootHex() {
        return HEX.formatHex(hash(0, 0));
    }

    /** Whether {@code prefix} (0..DEPTH hex digits) names a node of this tree. */
    public static boolean isValidPrefix(String prefix) {
        return prefix != null && prefix.length() <= DEPTH && prefix.chars().allMatch(c ->
                (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** Hex hash of the node named by {@code prefix}. */
    public synchronized String hashHex(String prefix) {
        return HEX.formatHex(hash(prefix.length(), indexOf(prefix)));
    }

    /** Hex hashes of the 16 children of an inner node (prefix shorter than DEPTH). */
    public synchronized List<String> childHashes(String prefix) {
        int level = prefix.length();
        if (level >= DEPTH) {
            throw new IllegalArgumentException("prefix '" + prefix + "' is a leaf and has no children");
        }
        int base = indexOf(prefix) * FANOUT;
        List<String> out = new ArrayList<>(FANOUT);
        for (int i = 0; i < FANOUT; i++) {
            out.add(HEX.formatHex(hash(level + 1, base + i)));
        }
        return out;
    }

    /** Sorted ids held by the leaf named by a DEPTH-digit prefix. */
    public synchronized List<EntryId> leafIds(String prefix) {
        if (prefix.length() != DEPTH) {
            throw new IllegalArgumentException("leaf prefix must have " + DEPTH + " hex digits");
        }
        TreeSet<EntryId> set = leaves[indexOf(prefix)];
        return set == null ? List.of() : new ArrayList<>(set);
    }

    private static int indexOf(String prefix) {
        return prefix.isEmpty() ? 0 : Integer.parseInt(prefix, 16);
    }

    private byte[] hash(int level, int index) {
        if (!dirty[level][index]) {
            return hashes[level][index];
        }
        MessageDigest digest = EntryId.sha256();
        if (level == DEPTH) {
            TreeSet<EntryId> set = leaves[index];
            if (set != null) {
                for (EntryId id : set) {
                    id.writeTo(digest);
                }
            }
        } else {
            for (int i = 0; i < FANOUT; i++) {
                digest.update(hash(level + 1, index * FANOUT + i));
            }
        }
        byte[] value = digest.digest();
        hashes[level][index] = value;
        dirty[level][index] = false;
        return value;
    }
}
