package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkPlanner;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.validation.ValidationRequirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Orders a validation job: cuts the audience's id range into chunks and stores them, then the job. Only the store is
 * written: the supervising node puts an open job's chunks on the board, so the coordinator needs no cluster connection.
 * Idempotent per job id, like a schedule slot's firing.
 */
public final class ValidationJobPlanner {

    private static final Logger log = LoggerFactory.getLogger(ValidationJobPlanner.class);

    private final ValidationJobStore jobs;
    private final ChunkStore chunks;
    private final SubscriberSource subscribers;
    private final Clock clock;

    public ValidationJobPlanner(ValidationJobStore jobs, ChunkStore chunks, SubscriberSource subscribers, Clock clock) {
        this.jobs = jobs;
        this.chunks = chunks;
        this.subscribers = subscribers;
        this.clock = clock;
    }

    /** The job as stored: the existing one when {@code id} was ordered before, else a new one. */
    public ValidationJob order(String id, Audience audience, ValidationRequirement rule, Instant deadline, int chunkSize) {
        var existing = jobs.find(id);
        if (existing.isPresent()) {
            return existing.get();
        }
        ChunkPlanner planner = new ChunkPlanner(id, chunkSize);
        subscribers.eligibleIds(audience, planner);
        List<ChunkRange> ranges = planner.finish();
        long now = clock.millis();
        // Chunks first: once the job is stored, a node may look for them. A replan after a crash replaces them.
        chunks.deleteCampaign(id);
        chunks.insertAll(ranges.stream().map(r -> ChunkRecord.queued(r, now)).toList());
        var job = new ValidationJob(id, audience, rule, deadline, ranges.size(), clock.instant());
        if (!jobs.create(job)) {
            return jobs.find(id).orElse(job);
        }
        log.info("validation={} ordered: {} subscribers in {} chunks, deadline {}", id, planner.eligible(),
                ranges.size(), deadline == null ? "none" : deadline);
        return job;
    }
}
