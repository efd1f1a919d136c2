package io.mailcast.campaign;

import io.mailcast.reminder.Reminder;
import io.mailcast.subscriber.Audience;
import io.mailcast.validation.ValidationRequirement;

import java.time.Instant;
import java.util.Objects;

/**
 * A campaign as submitted: what to send and to whom. Progress lives in its chunks.
 *
 * @param textTemplate Mustache source of the plain-text body, or {@code null}
 * @param htmlTemplate Mustache source of the HTML body (values HTML-escaped), or {@code null}
 * @param eligible     number of eligible recipients found when planning
 * @param stateReason  why the campaign is in its state (for example who paused it), or {@code null}
 * @param validation   recipients must be confirmed or checked-valid to be mailed, or {@code null} for no such rule
 * @param reminder     the schedule slot and window a reminder campaign was fired for, or {@code null}
 */
public record Campaign(
        String id,
        String subject,
        String from,
        String replyTo,
        String textTemplate,
        String htmlTemplate,
        Audience audience,
        int chunkSize,
        CampaignState state,
        String stateReason,
        long eligible,
        int chunks,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        ValidationRequirement validation,
        Reminder reminder) {

    public Campaign {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(state, "state");
        if (textTemplate == null && htmlTemplate == null) {
            throw new IllegalArgumentException("a campaign needs a text template, an HTML template, or both");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
        }
    }

    /** A campaign without a validation rule. */
    public Campaign(String id, String subject, String from, String replyTo, String textTemplate, String htmlTemplate,
                    Audience audience, int chunkSize, CampaignState state, String stateReason, long eligible, int chunks,
                    Instant createdAt, Instant startedAt, Instant finishedAt) {
        this(id, subject, from, replyTo, textTemplate, htmlTemplate, audience, chunkSize, state, stateReason, eligible,
                chunks, createdAt, startedAt, finishedAt, null, null);
    }

    /** A campaign that is not a reminder. */
    public Campaign(String id, String subject, String from, String replyTo, String textTemplate, String htmlTemplate,
                    Audience audience, int chunkSize, CampaignState state, String stateReason, long eligible, int chunks,
                    Instant createdAt, Instant startedAt, Instant finishedAt, ValidationRequirement validation) {
        this(id, subject, from, replyTo, textTemplate, htmlTemplate, audience, chunkSize, state, stateReason, eligible,
                chunks, createdAt, startedAt, finishedAt, validation, null);
    }
}
