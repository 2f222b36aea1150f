package com.diotec360.lattice.node.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The on-disk record format shared by the entry log and the snapshot:
 * {@code [int length][int crc32(payload)][payload]}, big-endian. Reading stops at the first record
 * that is short, too long or fails its checksum: that is a torn tail left by a crash.
 */
public final class RecordFile {
    public static final int HEADER_BYTES = 8;
    public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    private RecordFile() {
    }

    /** What a file holds up to its first bad record. */
    public record ReadResult(List<byte[]> payloads, long validLength, long fileLength) {
        public boolean tornTail() {
            return validLength < fileLength;
        }
    }

    public static void encode(byte[] payload, ByteBuffer out) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        out.putInt(payload.length);
        out.putInt((int) crc.getValue());
        out.put(payload);
    }

    public static int encodedSize(byte[] payload) {
        return HEADER_BYTES + payload.length;
    }

    public static ReadResult read(Path file) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            buffer.flip();
            long position = 0;
            while (true) {
                if (!fill(ch, buffer, HEADER_BYTES)) {
                    break;
                }
                int length = buffer.getInt(buffer.position());
                int crc = buffer.getInt(buffer.position() + 4);
                if (length < 0 || length > MAX_PAYLOAD) {
                    break;
                }
                if (buffer.capacity() < HEADER_BYTES + length) {
                    ByteBuffer bigger = ByteBuffer.allocate(HEADER_BYTES + length);
                    bigger.put(buffer);
                    bigger.flip();
                    buffer = bigger;
                }
                if (!fill(ch, buffer, HEADER_BYTES + length)) {
                    break;
                }
                buffer.position(buffer.position() + HEADER_BYTES);
                byte[] payload = new byte[length];
                buffer.get(payload);
                CRC32 check = new CRC32();
                check.update(payload);
                if ((int) check.getValue() != crc) {
                    break;
                }
                payloads.add(payload);
                position += HEADER_BYTES + length;
            }
            return new ReadResult(payloads, position, size);
        }
    }

    /** Makes at least {@code needed} bytes readable in {@code buffer}; false at end of file. */
    private static boolean fill(FileChannel ch, ByteBuffer buffer, int needed) throws IOException {
        if (buffer.remaining() >= needed) {
            return true;
        }
        buffer.compact();
        while (buffer.position() < needed) {
            if (ch.read(buffer) < 0) {
                buffer.flip();
                return false;
            }
        }
        buffer.flip();
        return true;
    }
}
