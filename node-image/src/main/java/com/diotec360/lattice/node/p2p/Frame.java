package com.diotec360.lattice.node.p2p;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The P2P wire unit: {@code [int length][byte type][payload]}, length counting type + payload,
 * at most {@value #MAX_LENGTH} bytes.
 */
public record Frame(byte type, byte[] payload) {
    public static final int MAX_LENGTH = 16 * 1024 * 1024;
    public static final byte HELLO = 1;
    public static final byte AUTH = 2;
    public static final byte AUTH_OK = 3;
    public static final byte REJECT = 4;
    public static final byte ENTRIES = 5;
    public static final byte PING = 6;
    public static final byte PONG = 7;

    public static Frame read(DataInputStream in) throws IOException {
        return read(in, MAX_LENGTH);
    }

    /**
     * Reads one frame of at most {@code maxLength} bytes; a longer announced length fails before anything
     * is allocated (the handshake uses a small cap, so a stranger cannot make the node allocate 16 MiB).
     */
    public static Frame read(DataInputStream in, int maxLength) throws IOException {
        int length = in.readInt();
        if (length < 1 || length > maxLength) {
            throw new IOException("bad frame length " + length);
        }
        byte type = in.readByte();
        byte[] payload = new byte[length - 1];
        in.readFully(payload);
        return new Frame(type, payload);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(payload.length + 1);
        out.writeByte(type);
        out.write(payload);
        out.flush();
    }

    /** Encodes entry data items as {@code [int count]([int len][bytes])*}. */
    public static byte[] encodeEntries(List<byte[]> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(items.size());
            for (byte[] item : items) {
                out.writeInt(item.length);
                out.write(item);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static List<byte[]> decodeEntries(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        int count = in.readInt();
        if (count < 0 || count > payload.length / 4) {
            throw new IOException("bad entry count " + count);
        }
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int len = in.readInt();
            if (len < 0 || len > in.available()) {
                throw new IOException("bad entry length " + len);
            }
            byte[] data = new byte[len];
            in.readFully(data);
            out.add(data);
        }
        return out;
    }
}
