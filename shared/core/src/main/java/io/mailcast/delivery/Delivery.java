package io.mailcast.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * The recorded outcome for one recipient of one campaign; at most one per (campaign, subscriber).
 *
 * @param reason    relay reply or validation problem for FAILED and INVALID, {@code null} for SENT
 * @param uncertain true when an earlier owner of the chunk may already have sent this message before it died
 * @param attempts  send attempts made for this outcome (retries included)
 */
public record Delivery(
        String campaignId,
        long subscriberId,
        String email,
        Outcome outcome,
        String reason,
        boolean uncertain,
        int attempts,
        String node,
        String relay,
        Instant at) {

    public Delivery {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
    }
}
