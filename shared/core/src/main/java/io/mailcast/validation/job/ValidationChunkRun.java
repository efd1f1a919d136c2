package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.validation.AddressValidation;
import io.mailcast.validation.ValidationBatch;
import io.mailcast.validation.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One claimed validation chunk: reads its subscribers, checks the unconfirmed addresses (cached verdicts cost nothing),
 * and completes the chunk. Running a chunk again is cheap and safe: what was checked is cached, what is being checked
 * elsewhere is waited for, so a hand-back or a takeover never pays twice.
 */
final class ValidationChunkRun {

    enum Result {
        /** Every address has a verdict, or the deadline passed for the rest. */
        COMPLETED,
        /** Stopped, or the validator kept failing: back in the queue, to run again. */
        HANDED_BACK,
        /** Someone else owns the chunk now. */
        LOST
    }

    private static final Logger log = LoggerFactory.getLogger(ValidationChunkRun.class);

    private final ChunkRecord held;
    private final ValidationJob job;
    private final ValidationWork work;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile boolean leaseLost;
    private volatile boolean stopping;
    private volatile long lastRenewed;

    ValidationChunkRun(ChunkRecord held, ValidationJob job, ValidationWork work) {
        this.held = held;
        this.job = job;
        this.work = work;
        this.lastRenewed = work.clock().millis();
    }

    ChunkRecord held() {
        return held;
    }

    /** Counted down once the chunk's checks are about to be queued for slots (or the run ended before). */
    CountDownLatch loaded() {
        return loaded;
    }

    Result run() throws InterruptedException {
        try {
            return runClaimed();
        } finally {
            loaded.countDown();
        }
    }

    private Result runClaimed() throws InterruptedException {
        ChunkLedger ledger = work.ledger();
        switch (ledger.recordClaim(held)) {
            case ChunkLedger.Claim.AlreadyDone d -> {
                return Result.COMPLETED;
            }
            case ChunkLedger.Claim.Lost l -> {
                return Result.LOST;
            }
            case ChunkLedger.Claim.Held h -> {
            }
        }
        List<Subscriber> subscribers = work.subscribers().eligibleInRange(job.audience(), held.ids(), held.planned());
        long confirmed = 0;
        Set<String> addresses = new LinkedHashSet<>();
        for (Subscriber s : subscribers) {
            if (job.rule().confirmed(s)) {
                confirmed++;
            } else {
                addresses.add(AddressNormalizer.normalize(s.email()));
            }
        }
        loaded.countDown();
        ValidationBatch.Summary summary = ValidationBatch.run(work.validation(), addresses, work.slots(), job.deadline(),
                () -> stopping || leaseLost);
        if (leaseLost) {
            log.info("validation={} chunk={} lost its lease; its new owner finds these checks cached", job.id(), held.index());
            return Result.LOST;
        }
        boolean retry = summary.count(AddressValidation.Source.GAVE_UP) + summary.failed() > 0 && !pastDeadline();
        if (stopping || retry) {
            // Nothing to keep: a re-run finds every verdict reached so far in the cache.
            boolean back = ledger.handBack(held, ValidationTally.ZERO.toCounts());
            log.info("validation={} chunk={} handed back ({})", job.id(), held.index(),
                    stopping ? "node stopping" : "validator errors; checked again later" + failure(summary));
            return back ? Result.HANDED_BACK : Result.LOST;
        }
        var tally = new ValidationTally(summary.verdicts().get(Verdict.VALID) + summary.verdicts().get(Verdict.UNKNOWN),
                summary.verdicts().get(Verdict.INVALID), confirmed, summary.unchecked());
        boolean done = ledger.complete(held, tally.toCounts());
        log.info("validation={} chunk={} done: verified={} invalid={} confirmed={} unchecked={} (paid {}, cached {})",
                job.id(), held.index(), tally.verified(), tally.invalid(), tally.confirmed(), tally.unchecked(),
                summary.count(AddressValidation.Source.CHECKED), summary.count(AddressValidation.Source.CACHE));
        return done ? Result.COMPLETED : Result.LOST;
    }

    private boolean pastDeadline() {
        return job.deadline() != null && work.clock().instant().isAfter(job.deadline());
    }

    private static String failure(ValidationBatch.Summary s) {
        return s.failure() == null ? "" : ": " + s.failure();
    }

    /** Renews the chunk's lease; a lost lease stops new checks (those under way finish and are cached). */
    void renew() {
        long now = work.clock().millis();
        try {
            if (!leaseLost && !work.ledger().renew(held, now + work.lease().toMillis(), ChunkRecord.NOTHING_RESERVED,
                    held.counts())) {
                leaseLost = true;
            }
            lastRenewed = now;
        } catch (RuntimeException e) {
            // The board unreachable (this member cut off): once the lease has run out, another node may own the chunk.
            if (now - lastRenewed > work.lease().toMillis()) {
                leaseLost = true;
            }
            throw e;
        }
    }

    /** No further checks start; the chunk is handed back once those under way end. */
    void stop() {
        stopping = true;
    }
}
