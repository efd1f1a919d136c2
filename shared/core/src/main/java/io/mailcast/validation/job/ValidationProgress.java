package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.validation.DailyBudget;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Where a validation job stands, from its stored chunks: the backlog, the rate so far, the ETA against the job's
 * deadline (the send date), and whether the day's budget is spent.
 *
 * @param subscribers     subscribers in the job's chunks, as planned
 * @param subscribersDone subscribers in DONE chunks
 * @param tally           what the DONE chunks found
 * @param finishedAt      when the job finished, {@code null} while it runs
 * @param today           the cluster's paid calls and money today (UTC)
 */
public record ValidationProgress(ValidationJob job, int chunksDone, int chunksOwned, long subscribers,
                                 long subscribersDone, ValidationTally tally, Instant finishedAt,
                                 DailyBudget.Spent today, Instant now) {

    public static ValidationProgress of(ValidationJob job, List<ChunkRecord> stored, Instant finishedAt,
                                        DailyBudget.Spent today, Instant now) {
        int done = 0;
        int owned = 0;
        long planned = 0;
        long plannedDone = 0;
        ValidationTally tally = ValidationTally.ZERO;
        for (ChunkRecord c : stored) {
            planned += c.planned();
            if (c.state() == ChunkState.DONE) {
                done++;
                plannedDone += c.planned();
                tally = tally.plus(ValidationTally.of(c.counts()));
            } else if (c.state() == ChunkState.OWNED) {
                owned++;
            }
        }
        return new ValidationProgress(job, done, owned, planned, plannedDone, tally, finishedAt, today, now);
    }

    public long backlog() {
        return subscribers - subscribersDone;
    }

    /** Subscribers per second since the job was ordered. */
    public double perSecond() {
        double seconds = Duration.between(job.createdAt(), finishedAt != null ? finishedAt : now).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : subscribersDone / seconds;
    }

    /** When the backlog is done at the rate so far; {@code null} when finished or nothing is done yet to measure. */
    public Instant eta() {
        if (finishedAt != null || backlog() == 0 || perSecond() == 0) {
            return null;
        }
        return now.plusMillis((long) (backlog() / perSecond() * 1000));
    }

    /** How long before the deadline the ETA falls (negative: after it); {@code null} without a deadline or an ETA. */
    public Duration marginToDeadline() {
        Instant eta = eta();
        return eta == null || job.deadline() == null ? null : Duration.between(eta, job.deadline());
    }

    /** Whether checks wait for tomorrow's budget now. */
    public boolean waitingForBudget() {
        return finishedAt == null && today.refused();
    }

    /** When the next UTC day's budget starts. */
    public Instant budgetResumesAt() {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
