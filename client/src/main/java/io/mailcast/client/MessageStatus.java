package io.mailcast.client;

import java.time.Instant;
import java.util.List;

/**
 * Where a sent message stands, as {@code GET /v1/messages/{id}} reports it.
 *
 * @param status    QUEUED, PROCESSING, SENT, FAILED or CANCELLED
 * @param delivered recipients a relay has accepted
 * @param suppressed recipients left out because they are on the suppression list
 * @param reply     the relay's refusal of the last attempt, {@code null} when none
 * @param uncertain a recipient may have got two copies (a node died mid-send, or a relay connection broke after the
 *                  message went out)
 */
public record MessageStatus(String id, String status, int attempts, List<String> delivered, List<String> suppressed,
                            String relay, String reply, boolean uncertain, Instant acceptedAt, Instant updatedAt) {

    /** SENT, FAILED and CANCELLED do not change any more. */
    public boolean isFinal() {
        return status.equals("SENT") || status.equals("FAILED") || status.equals("CANCELLED");
    }
}
