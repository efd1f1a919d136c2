package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.chunk.ChunkSweeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Supervision of validation jobs, on the supervising node only: orders the jobs of schedules validated ahead, puts an
 * open job's stored chunks on the board (a new order, or after a whole-cluster restart), sends chunks of dead or silent owners back to the queue, and finishes a job
 * once every chunk is DONE in the store.
 */
public final class ValidationSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ValidationSupervisor.class);

    private final ValidationJobStore jobs;
    /** Orders schedules' jobs ahead of their slots, or {@code null} where nothing is scheduled. */
    private final ValidationAhead ahead;
    private final ChunkLedger ledger;
    private final ChunkSweeper sweeper;
    private final BooleanSupplier isLeader;
    private final Clock clock;
    private final Duration interval;
    /** Subscribers in chunks not DONE and open jobs, as of this node's last pass; 0 on a node that does not supervise. */
    private volatile long backlog;
    private volatile int openJobs;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("validation-supervisor").daemon().factory());

    public ValidationSupervisor(ValidationJobStore jobs, ValidationAhead ahead, ChunkLedger ledger, ChunkSweeper sweeper,
                                BooleanSupplier isLeader, Clock clock, Duration interval) {
        this.jobs = jobs;
        this.ahead = ahead;
        this.ledger = ledger;
        this.sweeper = sweeper;
        this.isLeader = isLeader;
        this.clock = clock;
        this.interval = interval;
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::runSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a pass soon, for example when a member left. */
    public void wakeUp() {
        executor.execute(this::runSafely);
    }

    private void runSafely() {
        try {
            if (isLeader.getAsBoolean()) {
                superviseAll();
            } else {
                backlog = 0;
                openJobs = 0;
            }
        } catch (Throwable t) {
            log.warn("validation supervision pass failed (retried every {} ms): {}", interval.toMillis(), t.toString());
        }
    }

    /** One pass: the schedules' jobs due, then the open jobs; public for tests that drive it. */
    public void superviseAll() {
        if (ahead != null) {
            ahead.orderDue();
        }
        long left = 0;
        List<ValidationJob> open = jobs.open();
        for (ValidationJob job : open) {
            left += supervise(job);
        }
        backlog = left;
        openJobs = open.size();
    }

    /** Subscribers waiting in open jobs' chunks, as the supervising node last saw them (for /metrics). */
    public long backlog() {
        return backlog;
    }

    public int openJobs() {
        return openJobs;
    }

    /** Supervises one job; returns the subscribers in its chunks not DONE yet. */
    private long supervise(ValidationJob job) {
        List<ChunkRecord> onBoard = ledger.board().chunksOf(job.id());
        if (onBoard.size() < job.chunks()) {
            int restored = ledger.restore(job.id(), onBoard);
            log.info("validation={} put {} chunks on the board", job.id(), restored);
            onBoard = ledger.board().chunksOf(job.id());
        }
        sweeper.sweep(job.id(), onBoard);
        long left = onBoard.stream().filter(c -> c.state() != ChunkState.DONE).mapToLong(ChunkRecord::planned).sum();
        if (left > 0) {
            return left;
        }
        ChunkLedger.Convergence level = ledger.converge(job.id(), onBoard);
        if (!level.allDoneInStore(job.chunks())) {
            return 0;
        }
        ValidationTally total = level.stored().stream().map(c -> ValidationTally.of(c.counts()))
                .reduce(ValidationTally.ZERO, ValidationTally::plus);
        if (jobs.finish(job.id(), total, clock.instant())) {
            ledger.board().forget(job.id());
            log.info("validation={} finished: verified={} invalid={} confirmed={} unchecked={}", job.id(),
                    total.verified(), total.invalid(), total.confirmed(), total.unchecked());
        }
        return 0;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
