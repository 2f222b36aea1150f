package com.diotec360.lattice.node.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LatticeStateTest {
    @TempDir
    Path dir;

    private static List<Entry> entries(String prefix, int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Entry.ofText(prefix + i));
        }
        return out;
    }

    @Test
    void rootDependsOnTheSetNotTheOrder() {
        List<Entry> list = entries("e", 500);
        MerkleIndex a = new MerkleIndex();
        MerkleIndex b = new MerkleIndex();
        list.forEach(e -> a.add(e.id()));
        List<Entry> shuffled = new ArrayList<>(list);
        Collections.shuffle(shuffled);
        shuffled.forEach(e -> b.add(e.id()));
        b.add(list.get(0).id());
        assertThat(a.rootHex()).isEqualTo(b.rootHex()).hasSize(64);
        b.add(Entry.ofText("extra").id());
        assertThat(a.rootHex()).isNotEqualTo(b.rootHex());
        String leaf = Entry.ofText("extra").id().hex().substring(0, 4);
        assertThat(b.leafIds(leaf)).contains(Entry.ofText("extra").id());
        assertThat(a.childHashes("")).hasSize(16);
    }

    @Test
    void replaysLogAndSnapshotAfterRestart() throws Exception {
        String root;
        try (LatticeState state = LatticeState.open(dir, 50, Clock.systemUTC())) {
            for (int i = 0; i < 6; i++) {
                state.add(entries("batch" + i + "-", 40), "test").get(10, TimeUnit.SECONDS);
            }
            root = state.merkleRoot();
            assertThat(state.size()).isEqualTo(240);
        }
        assertThat(dir.resolve(EntryLog.SNAPSHOT_FILE)).exists();
        try (LatticeState reopened = LatticeState.open(dir, 50, Clock.systemUTC())) {
            assertThat(reopened.size()).isEqualTo(240);
            assertThat(reopened.merkleRoot()).isEqualTo(root);
        }
    }

    @Test
    void tornTailIsDroppedAndAcknowledgedEntriesSurvive() throws Exception {
        try (LatticeState state = LatticeState.open(dir, 1_000_000, Clock.systemUTC())) {
            state.add(entries("acked", 10), "test").get(10, TimeUnit.SECONDS);
        }
        Path log = dir.resolve(EntryLog.LOG_FILE);
        long goodLength = Files.size(log);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 20, 1, 2, 3, 4, 'p', 'a', 'r'}));
        }
        try (LatticeState reopened = LatticeState.open(dir, 1_000_000, Clock.systemUTC())) {
            assertThat(reopened.size()).isEqualTo(10);
            entries("acked", 10).forEach(e -> assertThat(reopened.contains(e.id())).isTrue());
            assertThat(Files.size(log)).isEqualTo(goodLength);
            reopened.add(entries("later", 1), "test").get(10, TimeUnit.SECONDS);
        }
        try (LatticeState again = LatticeState.open(dir, 1_000_000, Clock.systemUTC())) {
            assertThat(again.size()).isEqualTo(11);
        }
    }

    @Test
    void corruptRecordInTheMiddleStopsReplayThere() throws Exception {
        try (LatticeState state = LatticeState.open(dir, 1_000_000, Clock.systemUTC())) {
            state.add(entries("x", 1), "test").get(10, TimeUnit.SECONDS);
            state.add(entries("y", 1), "test").get(10, TimeUnit.SECONDS);
        }
        Path log = dir.resolve(EntryLog.LOG_FILE);
        byte[] bytes = Files.readAllBytes(log);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(log, bytes);
        try (LatticeState reopened = LatticeState.open(dir, 1_000_000, Clock.systemUTC())) {
            assertThat(reopened.size()).isEqualTo(1);
            assertThat(reopened.contains(Entry.ofText("x0").id())).isTrue();
        }
    }
}
