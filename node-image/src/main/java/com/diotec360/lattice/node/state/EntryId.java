package com.diotec360.lattice.node.state;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Content address of an entry: SHA-256 of its data bytes. Ordered by unsigned byte value (= hex order). */
public final class EntryId implements Comparable<EntryId> {
    public static final int BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private EntryId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static EntryId of(byte[] data) {
        return new EntryId(sha256().digest(data));
    }

    /** Parses a 64-character lowercase or uppercase hex id; throws IllegalArgumentException otherwise. */
    public static EntryId fromHex(String hex) {
        if (hex == null || hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("entry id must be 64 hex characters");
        }
        try {
            return new EntryId(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entry id must be 64 hex characters");
        }
    }

    /** Leaf bucket of the Merkle index: the first two bytes (four hex digits) of the id. */
    public int leafIndex() {
        return ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
    }

    public void writeTo(MessageDigest digest) {
        digest.update(bytes);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }

    @Override
    public int compareTo(EntryId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntryId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex();
    }
}
