package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.chunk.ChunkKeys;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.render.MessageTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's claiming loops ("slots", each on its own virtual thread) and the lease keeper that renews what they hold.
 * A slot claims a new chunk only while the node has spare send permits, so chunks stay in the shared queue for
 * whichever node has room, and the tail of a campaign spreads evenly.
 */
public final class ChunkWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChunkWorkers.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final DeliveryContext ctx;
    private final Set<ChunkJob> active = ConcurrentHashMap.newKeySet();
    private final List<Thread> slots = new ArrayList<>();
    private final ScheduledExecutorService leaseKeeper;
    private volatile boolean claiming = true;
    private final QuietFailures slotFailures;
    private final QuietFailures chunkFailures;

    public ChunkWorkers(DeliveryContext ctx) {
        this.ctx = ctx;
        this.slotFailures = new QuietFailures(log, ctx.clock());
        this.chunkFailures = new QuietFailures(LoggerFactory.getLogger(ChunkJob.class), ctx.clock());
        this.leaseKeeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("lease-keeper").daemon().factory());
    }

    public void start() {
        long renewMillis = ctx.tuning().renewEvery().toMillis();
        leaseKeeper.scheduleWithFixedDelay(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        int n = ctx.tuning().chunkSlots();
        for (int i = 0; i < n; i++) {
            slots.add(Thread.ofVirtual().name("chunk-slot-" + i).start(this::claimLoop));
        }
        log.info("node={} started {} chunk slots, concurrency {}", ctx.nodeId(), n, ctx.tuning().concurrency());
    }

    private void claimLoop() {
        while (claiming) {
            try {
                if (ctx.permits().availablePermits() == 0) {
                    Thread.sleep(20);
                    continue;
                }
                Optional<String> key = ctx.board().nextKey(POLL);
                if (key.isEmpty() || !claiming) {
                    key.ifPresent(this::handBackKey);
                    continue;
                }
                runChunk(key.get());
                slotFailures.recovered();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                if (!claiming) {
                    return;
                }
                slotFailures.failed("node=" + ctx.nodeId() + " chunk slot", t);
                sleepQuietly();
            }
        }
    }

    private void runChunk(String key) throws InterruptedException {
        String campaignId = ChunkKeys.campaignOf(key);
        Optional<Campaign> campaign = ctx.campaigns().campaign(campaignId);
        if (campaign.isEmpty() || !ctx.campaigns().isRunning(campaignId)) {
            // Not running (paused, cancelled, unknown): drop the hint; the supervisor re-offers when it runs again.
            return;
        }
        // Everything that needs the store comes before the claim, so a store outage never strands a claimed chunk.
        MessageTemplate template = ctx.campaigns().template(campaignId).orElseThrow();
        Optional<ChunkRecord> claimed = ctx.board().claim(key, ctx.nodeId(), ctx.clock().millis(),
                ctx.tuning().lease().toMillis());
        if (claimed.isEmpty()) {
            log.trace("node={} lost the race for {}", ctx.nodeId(), key);
            return;
        }
        ChunkJob job = new ChunkJob(claimed.get(), campaign.get(), template, ctx, chunkFailures);
        active.add(job);
        MDC.put("campaign", campaignId);
        long started = System.nanoTime();
        try {
            ChunkJob.Result result = job.run();
            ctx.chunkObserver().finished(result.name().toLowerCase(Locale.ROOT), Duration.ofNanos(System.nanoTime() - started));
            switch (result) {
                case COMPLETED -> ctx.stats().chunksCompleted.increment();
                case RELEASED -> ctx.stats().chunksReleased.increment();
                case FAILED -> {
                    // Whatever stopped it may stop the next claim too: pause this slot rather than spin on it.
                    ctx.stats().chunksReleased.increment();
                    sleepQuietly();
                }
                case LOST -> ctx.stats().chunksLost.increment();
            }
        } finally {
            active.remove(job);
            MDC.remove("campaign");
        }
    }

    /** A key polled while stopping goes back so no other node waits for the sweeper. */
    private void handBackKey(String key) {
        try {
            ctx.board().get(key).filter(r -> r.state() == ChunkState.QUEUED)
                    .ifPresent(r -> ctx.board().reoffer(r, ctx.clock().millis()));
        } catch (RuntimeException e) {
            log.debug("could not hand back {}: {}", key, e.toString());
        }
    }

    private void renewLeases() {
        for (ChunkJob job : active) {
            try {
                job.renew();
            } catch (Throwable t) {
                log.warn("node={} lease renewal of chunk {} failed: {}", ctx.nodeId(), job.held().key(), t.toString());
            }
        }
    }

    /** Number of chunks being worked on now. */
    public int activeChunks() {
        return active.size();
    }

    /**
     * Graceful stop: no new claims; running jobs see {@code stopping} at their next step, let in-flight sends finish,
     * write outcomes and hand their chunks back. Waits up to {@code grace}; true when everything was handed back.
     */
    public boolean stop(Duration grace) throws InterruptedException {
        claiming = false;
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread slot : slots) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !slot.join(Duration.ofNanos(left))) {
                break;
            }
        }
        boolean clean = active.isEmpty();
        leaseKeeper.shutdownNow();
        if (!clean) {
            log.warn("node={} grace period over with {} chunks still active; their leases will expire and the sweeper "
                    + "re-offers them (in-flight sends counted as uncertain)", ctx.nodeId(), active.size());
        }
        return clean;
    }

    @Override
    public void close() {
        claiming = false;
        slots.forEach(Thread::interrupt);
        leaseKeeper.shutdownNow();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
