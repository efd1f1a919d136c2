package io.mailcast.engine;

import java.time.Duration;

/**
 * How a node paces one chunk. Derived from the node's concurrency and lease, validated once.
 *
 * @param concurrency   sends in flight per node (virtual threads holding a permit)
 * @param lease         how long a claim holds without renewal; renewed every third of it
 * @param reserveStep   most recipients reserved ahead of the one handed to a relay, per checkpoint write (a slow
 *                      node reserves fewer, see ReservationPace); after a crash,
 *                      a chunk's doubt is at most this plus its sends with a relay whose outcome was not yet written
 * @param flushSize     outcomes written to the store per batch
 * @param flushInterval longest an outcome waits in memory before a write is attempted
 * @param maxAttempts   send attempts per recipient for transient failures (1 = no retry)
 * @param retryBackoff  first retry delay; doubled per attempt, with jitter
 */
public record DeliveryTuning(int concurrency, Duration lease, int reserveStep, int flushSize, Duration flushInterval,
                             int maxAttempts, Duration retryBackoff) {

    public DeliveryTuning {
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
        }
        if (lease.toMillis() < 3_000) {
            throw new IllegalArgumentException("--lease-seconds must be at least 3 (renewed every third), got " + lease);
        }
        if (reserveStep < 1 || flushSize < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("reserve step, flush size and attempts must be at least 1");
        }
    }

    public static DeliveryTuning defaults(int concurrency, Duration lease) {
        return new DeliveryTuning(concurrency, lease, Math.max(32, Math.min(500, concurrency / 8)), 1_000,
                Duration.ofMillis(500), 3, Duration.ofSeconds(1));
    }

    /** How many chunks a node works on at once: enough to keep {@code concurrency} sends busy, plus one loading. */
    public int chunkSlots() {
        return Math.clamp(concurrency / 200 + 2, 2, 64);
    }

    public Duration renewEvery() {
        return lease.dividedBy(3);
    }
}
