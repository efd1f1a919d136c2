package io.mailcast.validation.job;

import io.mailcast.subscriber.Audience;
import io.mailcast.validation.ValidationRequirement;

import java.time.Instant;
import java.util.Objects;

/**
 * An order to check an audience's unconfirmed addresses ahead of sending, cut into chunks of subscriber ids that the
 * nodes claim like send chunks. Its chunks are keyed {@code <id>/<index>} on a board of their own.
 *
 * @param deadline when the audience will be mailed: checks still waiting (for the budget) then give up; {@code null}
 *                 for no deadline
 * @param chunks   how many chunks were planned; the job is done when all of them are
 */
public record ValidationJob(String id, Audience audience, ValidationRequirement rule, Instant deadline, int chunks,
                            Instant createdAt) {

    public ValidationJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(createdAt, "createdAt");
        if (id.isBlank() || id.contains("/")) {
            throw new IllegalArgumentException("a validation job id must be non-blank without '/', got '" + id + "'");
        }
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must not be negative, got " + chunks);
        }
    }
}
