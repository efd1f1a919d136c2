package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkKeys;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's validation chunks: one claiming loop that takes a chunk whenever the node's validation slots have room (so
 * chunks stay queued for whichever node has room), a virtual thread per claimed chunk, and a lease keeper.
 */
public final class ValidationWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ValidationWorkers.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final ValidationWork work;
    private final Map<ValidationChunkRun, Thread> active = new ConcurrentHashMap<>();
    private final Map<String, ValidationJob> jobs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService leaseKeeper =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("validation-lease-keeper").daemon().factory());
    private volatile boolean claiming = true;
    private Thread claimer;

    public ValidationWorkers(ValidationWork work) {
        this.work = work;
    }

    public void start() {
        long renew = work.renewEvery().toMillis();
        leaseKeeper.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        claimer = Thread.ofVirtual().name("validation-claimer").start(this::claimLoop);
        log.info("node={} runs validation chunks, up to {} checks in flight", work.nodeId(), work.slots().limit());
    }

    private ChunkBoard board() {
        return work.ledger().board();
    }

    private void claimLoop() {
        while (claiming) {
            try {
                if (!work.slots().hasRoom()) {
                    Thread.sleep(20);
                    continue;
                }
                Optional<String> key = board().nextKey(POLL);
                if (key.isEmpty()) {
                    continue;
                }
                if (!claiming) {
                    handBackKey(key.get());
                    return;
                }
                claimAndStart(key.get());
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                if (!claiming) {
                    return;
                }
                log.warn("node={} validation claiming failed, retrying in 1 s: {}", work.nodeId(), t.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void claimAndStart(String key) throws InterruptedException {
        String jobId = ChunkKeys.campaignOf(key);
        Optional<ValidationJob> job = job(jobId);
        if (job.isEmpty()) {
            return; // finished or unknown: drop the hint
        }
        Optional<ChunkRecord> claimed = board().claim(key, work.nodeId(), work.clock().millis(), work.lease().toMillis());
        if (claimed.isEmpty()) {
            log.trace("node={} lost the race for {}", work.nodeId(), key);
            return;
        }
        var run = new ValidationChunkRun(claimed.get(), job.get(), work);
        Thread thread = Thread.ofVirtual().name("validation-chunk-" + key).unstarted(() -> runChunk(run));
        active.put(run, thread);
        thread.start();
        // Until this chunk's checks queue for slots, the slots look free: wait, or every free slot claims a chunk.
        run.loaded().await(work.lease().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runChunk(ValidationChunkRun run) {
        try {
            run.run();
        } catch (InterruptedException e) {
            log.info("validation chunk {} interrupted; its lease runs out and another node takes it", run.held().key());
        } catch (Throwable t) {
            log.warn("validation chunk {} failed ({}); its lease runs out and another node takes it",
                    run.held().key(), t.toString());
        } finally {
            active.remove(run);
        }
    }

    private Optional<ValidationJob> job(String id) {
        ValidationJob known = jobs.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ValidationJob> found = work.jobs().find(id);
        found.ifPresent(j -> jobs.put(id, j));
        return found;
    }

    /** A key polled while stopping goes back so no other node waits for the sweeper. */
    private void handBackKey(String key) {
        try {
            board().get(key).filter(r -> r.state() == ChunkState.QUEUED)
                    .ifPresent(r -> board().reoffer(r, work.clock().millis()));
        } catch (RuntimeException e) {
            log.debug("could not hand back {}: {}", key, e.toString());
        }
    }

    private void renewLeases() {
        for (ValidationChunkRun run : active.keySet()) {
            try {
                run.renew();
            } catch (Throwable t) {
                log.warn("node={} lease renewal of validation chunk {} failed: {}", work.nodeId(), run.held().key(),
                        t.toString());
            }
        }
    }

    public int activeChunks() {
        return active.size();
    }

    /**
     * Graceful stop: no new claims or checks; checks under way finish (they are paid for) and their chunks are handed
     * back. Waits up to {@code grace}; true when every chunk was handed back.
     */
    public boolean stop(Duration grace) throws InterruptedException {
        claiming = false;
        active.keySet().forEach(ValidationChunkRun::stop);
        long deadline = System.nanoTime() + grace.toNanos();
        if (claimer != null) {
            claimer.interrupt();
        }
        for (Thread t : active.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                break;
            }
        }
        boolean clean = active.isEmpty();
        if (!clean) {
            log.warn("node={} grace period over with {} validation chunks active; their leases will run out",
                    work.nodeId(), active.size());
        }
        close();
        return clean;
    }

    @Override
    public void close() {
        claiming = false;
        if (claimer != null) {
            claimer.interrupt();
        }
        active.values().forEach(Thread::interrupt);
        leaseKeeper.shutdownNow();
    }
}
