package com.diotec360.lattice.node.state;

import java.nio.charset.StandardCharsets;

/** One immutable lattice entry: its data and the content address derived from it. */
public record Entry(EntryId id, byte[] data) {

    public static Entry of(byte[] data) {
        return new Entry(EntryId.of(data), data);
    }

    public static Entry ofText(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
