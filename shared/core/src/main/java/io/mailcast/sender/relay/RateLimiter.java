package io.mailcast.sender.relay;

import java.time.Instant;

/** Send slots per relay: a rate limit (messages per second) and hourly/daily quotas. Thread-safe. */
public interface RateLimiter extends AutoCloseable {

    /** Whether {@code relay} may still send in the current hour and day; cheap, for choosing a relay. */
    boolean hasQuota(String relay, Instant now);

    /**
     * Waits for the next send slot on {@code relay} and counts the send against its quotas.
     *
     * @param factor   share of the relay's allowed rate to use, in (0, 1]: below 1 while the relay throttles us
     * @param deadline give up when the slot would come later than this
     * @return false when no slot was free before the deadline or the quota ran out; nothing was taken then
     * @throws InterruptedException when interrupted while waiting
     */
    boolean acquire(String relay, double factor, Instant deadline) throws InterruptedException;

    /** Sets the limit of {@code relay} in messages per second, 0 for none; takes effect for the next slot. */
    void setRate(String relay, double messagesPerSecond);

    /** Stops listening for changes; idempotent. */
    @Override
    default void close() {
    }
}
