package io.mailcast.delivery;

import io.mailcast.subscriber.SubscriberId;

import java.time.Instant;
import java.util.Objects;

/**
 * The recorded outcome for one recipient of one campaign; at most one per (campaign, subscriber).
 *
 * @param reason         relay reply or validation problem for FAILED and INVALID, {@code null} for SENT
 * @param uncertainCause why this recipient may have been mailed twice (or, when FAILED, may have been mailed after
 *                       all); {@code null} when the outcome is certain
 * @param attempts       send attempts made for this outcome (retries included)
 */
public record Delivery(
        String campaignId,
        SubscriberId subscriberId,
        String email,
        Outcome outcome,
        String reason,
        UncertainCause uncertainCause,
        int attempts,
        String node,
        String relay,
        Instant at) {

    public Delivery {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(subscriberId, "subscriberId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
    }

    /**
     * The form from before causes were recorded, where {@code uncertain} could only mean that a node died with the
     * message in flight.
     */
    public Delivery(String campaignId, SubscriberId subscriberId, String email, Outcome outcome, String reason, boolean uncertain,
                    int attempts, String node, String relay, Instant at) {
        this(campaignId, subscriberId, email, outcome, reason, uncertain ? UncertainCause.NODE_DIED : null, attempts,
                node, relay, at);
    }

    /** True when this recipient may have been mailed twice: flagged {@code uncertain: true} in the store. */
    public boolean uncertain() {
        return uncertainCause != null;
    }
}
