package com.diotec360.lattice.node.mode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** Every heartbeat interval, feeds the P2P peer count into the {@link SyncModeController}. */
public final class HeartbeatMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatMonitor.class);

    private final ScheduledExecutorService scheduler;
    private final ScheduledFuture<?> task;

    public HeartbeatMonitor(SyncModeController controller, IntSupplier peerCount, BooleanSupplier p2pRunning,
                            Duration interval, Clock clock, String nodeName) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + nodeName);
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        this.task = scheduler.scheduleAtFixedRate(() -> {
            try {
                controller.onHeartbeat(peerCount.getAsInt(), p2pRunning.getAsBoolean(), clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("Heartbeat check failed: {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    public boolean isActive() {
        return !task.isDone();
    }

    @Override
    public void close() {
        task.cancel(false);
        scheduler.shutdownNow();
    }
}
