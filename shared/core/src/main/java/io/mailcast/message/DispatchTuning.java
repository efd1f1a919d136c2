package io.mailcast.message;

import java.time.Duration;

/**
 * How a node's dispatcher works, validated once.
 *
 * @param concurrency  messages this node sends at once
 * @param lease        how long a claim holds without renewal; renewed every third of it
 * @param maxAttempts  attempts per message for transient failures, then FAILED
 * @param retryBackoff delay before the second attempt, doubled for each one after
 * @param maxIdlePoll  longest pause between looks for work when there is none; a message accepted on this node is
 *                     picked up at once, one accepted on another node within this
 */
public record DispatchTuning(int concurrency, Duration lease, int maxAttempts, Duration retryBackoff,
                             Duration maxIdlePoll) {

    public static final DispatchTuning DEFAULT = new DispatchTuning(64, Duration.ofSeconds(60), 5,
            Duration.ofSeconds(5), Duration.ofSeconds(1));

    public DispatchTuning {
        if (concurrency < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("dispatcher concurrency and attempts must be at least 1");
        }
        if (lease.toMillis() < 3_000) {
            throw new IllegalArgumentException("the message lease must be at least 3 s (renewed every third), got " + lease);
        }
        if (retryBackoff.isNegative() || maxIdlePoll.toMillis() < 10) {
            throw new IllegalArgumentException("retry back-off must not be negative and the idle poll at least 10 ms");
        }
    }

    /** The same with the node's lease (its {@code --lease-seconds}, shared with chunks). */
    public DispatchTuning withLease(Duration newLease) {
        return new DispatchTuning(concurrency, newLease, maxAttempts, retryBackoff, maxIdlePoll);
    }

    public Duration renewEvery() {
        return lease.dividedBy(3);
    }

    /** The wait before attempt {@code attempt + 1}. */
    public Duration backoffAfter(int attempt) {
        return retryBackoff.multipliedBy(1L << Math.min(attempt - 1, 16));
    }
}
