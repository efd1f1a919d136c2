package io.mailcast.sender.relay;

import java.time.Instant;

/**
 * Send slots per relay: a rate limit (messages per second) and hourly/daily quotas. Thread-safe. Quotas are the
 * cluster's (see {@link QuotaAllowance}); rates are shared out per node.
 */
public interface RateLimiter extends AutoCloseable {

    /** Whether {@code relay} may still send in the current hour and day; cheap, for choosing a relay. */
    boolean hasQuota(String relay, Instant now);

    /**
     * When {@code relay}'s used-up quota renews: the end of its used-up hour or day (the later when both are; the next
     * look while the quota ledger cannot be reached), so a send waiting for quota knows how long. {@code null} while
     * {@link #hasQuota} is true.
     */
    Instant quotaRenewsAt(String relay, Instant now);

    /** What {@link #acquire} got. */
    enum Slot {
        /** A send slot, counted against the quotas: send now. */
        TAKEN,
        /** No slot before the deadline under the rate limit. */
        TOO_LATE,
        /** The relay's hour or day is used up for the cluster (or the quota ledger cannot be reached). */
        NO_QUOTA
    }

    /**
     * Waits for the next send slot on {@code relay} and counts the send against its quotas.
     *
     * @param factor   share of the relay's allowed rate to use, in (0, 1]: below 1 while the relay throttles us
     * @param urgent   a send-API message: served before ordinary sends already waiting
     * @param deadline give up when the slot would come later than this
     * @return {@link Slot#TAKEN}, or why not; nothing was taken then
     * @throws InterruptedException when interrupted while waiting
     */
    Slot acquire(String relay, double factor, boolean urgent, Instant deadline) throws InterruptedException;

    /** {@link #acquire(String, double, boolean, Instant)} for an ordinary send. */
    default Slot acquire(String relay, double factor, Instant deadline) throws InterruptedException {
        return acquire(relay, factor, false, deadline);
    }

    /** Sets the limit of {@code relay} in messages per second, 0 for none; takes effect for the next slot. */
    void setRate(String relay, double messagesPerSecond);

    /** Stops listening for changes and gives unspent quota back; idempotent. */
    @Override
    default void close() {
    }
}
