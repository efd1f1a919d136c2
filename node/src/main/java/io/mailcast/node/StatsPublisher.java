package io.mailcast.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mailcast.cluster.NodeStatsRecord;
import io.mailcast.engine.NodeStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Writes this node's figures to the {@value NodeStatsRecord#MAP_NAME} map every {@code interval}, for Management
 * Center and SQL ({@code SELECT * FROM node_stats}). The rate is messages sent per second over the last interval, by
 * the injected clock. Stopping removes the node's entry; a crashed node's entry expires (map TTL).
 */
final class StatsPublisher implements AutoCloseable {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(StatsPublisher.class);

    private final IMap<String, NodeStatsRecord> map;
    private final String nodeId;
    private final String address;
    private final NodeStats stats;
    private final IntSupplier inFlight;
    private final IntSupplier activeChunks;
    private final Clock clock;
    private final Duration interval;
    private ScheduledExecutorService executor;
    // Touched only by the single publishing thread (or a caller of publishNow in tests).
    private long lastSent = -1;
    private long lastAt;
    private boolean warned;

    StatsPublisher(HazelcastInstance hazelcast, String nodeId, NodeStats stats, IntSupplier inFlight,
                   IntSupplier activeChunks, Clock clock, Duration interval) {
        this.map = hazelcast.getMap(NodeStatsRecord.MAP_NAME);
        this.nodeId = nodeId;
        var a = hazelcast.getCluster().getLocalMember().getAddress();
        this.address = a.getHost() + ":" + a.getPort();
        this.stats = stats;
        this.inFlight = inFlight;
        this.activeChunks = activeChunks;
        this.clock = clock;
        this.interval = interval;
    }

    synchronized StatsPublisher start() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mailcast-stats");
                t.setDaemon(true);
                return t;
            });
            executor.scheduleWithFixedDelay(this::publishSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void publishSafely() {
        try {
            publishNow();
            warned = false;
        } catch (Throwable t) {
            // never let an exception cancel the schedule; warn once per outage, not every interval
            if (!warned) {
                log.warn("node={} could not publish stats: {}", nodeId, t.toString());
                warned = true;
            } else {
                log.debug("node={} could not publish stats", nodeId, t);
            }
        }
    }

    /** Publishes one record now and returns it. */
    NodeStatsRecord publishNow() {
        long now = clock.millis();
        long sent = stats.sent.sum();
        double perSecond = 0;
        if (lastSent >= 0 && now > lastAt) {
            perSecond = (sent - lastSent) * 1000.0 / (now - lastAt);
        }
        var record = new NodeStatsRecord(nodeId, address, sent, stats.failed.sum(), stats.invalid.sum(),
                stats.retried.sum(), stats.uncertain.sum(), inFlight.getAsInt(), activeChunks.getAsInt(), perSecond,
                now);
        map.set(nodeId, record);
        lastSent = sent;
        lastAt = now;
        return record;
    }

    /** Stops publishing and removes this node's entry (best effort: the member may already be gone). */
    @Override
    public void close() {
        synchronized (this) {
            if (executor != null) {
                executor.shutdownNow();
                try {
                    executor.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                executor = null;
            }
        }
        try {
            map.delete(nodeId);
        } catch (RuntimeException e) {
            log.debug("node={} could not remove its stats entry", nodeId, e);
        }
    }
}
