package io.mailcast.message;

import java.time.Instant;
import java.util.Optional;

/**
 * Where messages of the send API live: the truth about each one. Every state change is a compare-and-set, so two
 * nodes can never both hold a message, and a node whose lease ran out cannot overwrite its successor's result.
 */
public interface MessageStore {

    /**
     * Stores a queued message, durably, before returning. With an idempotency key that the same API key used within
     * the last {@link #IDEMPOTENCY_WINDOW_HOURS} hours, stores nothing and returns the earlier message instead; this
     * holds for concurrent calls too (decided by a unique index, not by a read before the write).
     */
    Accepted accept(StoredMessage queued);

    /** @param created false when an earlier message with the same idempotency key was returned */
    record Accepted(StoredMessage message, boolean created) {
    }

    long IDEMPOTENCY_WINDOW_HOURS = 24;

    /** The message if it exists and belongs to {@code apiKeyId}. */
    Optional<StoredMessage> find(String id, String apiKeyId);

    /**
     * Claims a due message: a QUEUED one whose back-off is over, or, failing that, a PROCESSING one whose lease ran out
     * (its node died): that one comes back marked uncertain, {@link io.mailcast.delivery.UncertainCause#NODE_DIED}.
     * The claim sets PROCESSING, the owner, the lease and increments the attempt count.
     */
    Optional<Claim> claimNext(String owner, Instant now, Instant leaseUntil);

    /** Claims this one message if it is QUEUED and due; the accepting node uses it to send at once. */
    Optional<Claim> claim(String id, String owner, Instant now, Instant leaseUntil);

    /** @param takenOver the message was PROCESSING on a node whose lease ran out: it may have been sent already */
    record Claim(StoredMessage message, boolean takenOver) {
    }

    /** Extends the lease of a claim still held; false when the claim was lost. */
    boolean renew(StoredMessage claimed, Instant leaseUntil);

    /**
     * Records the end of an attempt, fenced by the claim's owner and attempt number. {@code next} is QUEUED (to retry
     * after {@code notBefore}), SENT or FAILED. False when the claim was lost: the newer owner's word counts.
     */
    boolean settle(StoredMessage claimed, Settlement settlement);

    /** The message, cancelled, if it was QUEUED and belongs to {@code apiKeyId}; empty otherwise. */
    Optional<StoredMessage> cancel(String id, String apiKeyId, Instant now);

    /** Messages waiting to be sent (QUEUED or PROCESSING): the queue depth. */
    long countUnfinished();

    /** When the oldest message still QUEUED or PROCESSING was accepted; empty when there is none. */
    Optional<Instant> oldestUnfinished();
}
