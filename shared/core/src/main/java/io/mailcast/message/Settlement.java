package io.mailcast.message;

import io.mailcast.delivery.UncertainCause;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one attempt at a message ended.
 *
 * @param next      QUEUED to retry after {@code notBefore}, SENT or FAILED
 * @param delivered every recipient accepted so far, earlier attempts included
 * @param uncertain the message's doubt after this attempt, {@code null} when none
 */
public record Settlement(MessageStatus next, List<String> delivered, String relay, String reply,
                         UncertainCause uncertain, Instant notBefore, Instant at) {

    public Settlement {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(at, "at");
        if (next == MessageStatus.PROCESSING || next == MessageStatus.CANCELLED) {
            throw new IllegalArgumentException("an attempt ends QUEUED, SENT or FAILED, not " + next);
        }
        delivered = List.copyOf(delivered);
    }
}
