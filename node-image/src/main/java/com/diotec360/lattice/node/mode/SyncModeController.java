package com.diotec360.lattice.node.mode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Holds the mode setting and the active sync mode, applies {@link SyncModePolicy}, logs transitions. */
public final class SyncModeController {
    private static final Logger LOG = LoggerFactory.getLogger(SyncModeController.class);

    /** What the status endpoint reports. */
    public record View(ModeSetting setting, SyncMode syncMode, Instant since, long secondsWithoutPeers,
                       int peerCount, boolean p2pRunning) {
    }

    private final Duration peerlessTimeout;
    private final List<Consumer<SyncMode>> listeners = new CopyOnWriteArrayList<>();
    private ModeSetting setting;
    private SyncMode current;
    private Instant since;
    private Instant peerlessSince;
    private int peerCount;
    private boolean p2pRunning;

    public SyncModeController(ModeSetting setting, boolean p2pRunning, Duration peerlessTimeout, Instant now) {
        this.setting = setting;
        this.p2pRunning = p2pRunning;
        this.peerlessTimeout = peerlessTimeout;
        this.peerlessSince = now;
        this.since = now;
        this.current = SyncModePolicy.decide(setting, SyncMode.P2P, p2pRunning, 0, now, now, peerlessTimeout);
        log(null, current, p2pRunning ? "start" : "p2p_not_running");
    }

    public void onChange(Consumer<SyncMode> listener) {
        listeners.add(listener);
    }

    /** Called by the P2P network whenever its authenticated peer count changes. */
    public synchronized void onPeerCount(int count, Instant now) {
        if (count == 0 && peerCount > 0) {
            peerlessSince = now;
        } else if (count > 0) {
            peerlessSince = null;
        }
        peerCount = count;
    }

    /** One heartbeat: re-evaluate with the current peer count and P2P state. */
    public void onHeartbeat(int count, boolean running, Instant now) {
        synchronized (this) {
            onPeerCount(count, now);
            if (count == 0 && peerlessSince == null) {
                peerlessSince = now;
            }
            p2pRunning = running;
        }
        reevaluate(now, "heartbeat");
    }

    public void switchTo(ModeSetting newSetting, Instant now) {
        ModeSetting old;
        synchronized (this) {
            old = setting;
            setting = newSetting;
        }
        LOG.atInfo().addKeyValue("event", "sync_mode_setting_changed").addKeyValue("from", old.wireName())
                .addKeyValue("to", newSetting.wireName()).log("Sync mode setting changed by API call");
        reevaluate(now, "switch_" + newSetting.wireName());
    }

    private void reevaluate(Instant now, String reason) {
        SyncMode before;
        SyncMode after;
        synchronized (this) {
            before = current;
            after = SyncModePolicy.decide(setting, current, p2pRunning, peerCount, peerlessSince, now,
                    peerlessTimeout);
            if (after == before) {
                return;
            }
            current = after;
            since = now;
        }
        log(before, after, reason);
        listeners.forEach(l -> l.accept(after));
    }

    private void log(SyncMode from, SyncMode to, String reason) {
        View v = view(since);
        LOG.atInfo().addKeyValue("event", "sync_mode_changed")
                .addKeyValue("from", from == null ? "none" : from.name())
                .addKeyValue("to", to.name())
                .addKeyValue("setting", v.setting().wireName())
                .addKeyValue("reason", reason)
                .addKeyValue("peer_count", v.peerCount())
                .addKeyValue("seconds_without_peers", v.secondsWithoutPeers())
                .log("Sync mode is now {}", to);
    }

    public synchronized ModeSetting setting() {
        return setting;
    }

    public synchronized SyncMode current() {
        return current;
    }

    public synchronized View view(Instant now) {
        long without = peerlessSince == null ? 0 : Math.max(0, Duration.between(peerlessSince, now).getSeconds());
        return new View(setting, current, since, without, peerCount, p2pRunning);
    }
}
