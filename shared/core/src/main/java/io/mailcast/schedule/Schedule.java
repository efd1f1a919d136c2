package io.mailcast.schedule;

import io.mailcast.reminder.RelativeWindow;
import io.mailcast.subscriber.SubscriberMapping;

import java.time.Instant;
import java.util.Objects;

/**
 * A campaign to submit on every slot of its trigger. Each firing is a campaign of its own, see {@link Firing}.
 *
 * @param audience  MongoDB filter (extended JSON) every firing's audience starts from
 * @param source    where the subscribers are and how their documents read
 * @param window    the audience relative to the slot, or {@code null} for the whole audience every time
 * @param createdAt slots before it are never fired
 * @param validation every slot's campaign requires confirmed or checked-valid recipients, and may be validated ahead;
 *                   {@code null} for no such rule
 */
public record Schedule(
        String id,
        Trigger trigger,
        CatchUp catchUp,
        boolean paused,
        String subject,
        String from,
        String replyTo,
        String textTemplate,
        String htmlTemplate,
        String audience,
        SubscriberMapping source,
        int chunkSize,
        RelativeWindow window,
        Instant createdAt,
        ScheduleValidation validation) {

    /** Letters, digits, '-' and '_': the id is part of every firing's campaign id. */
    private static final String ID_PATTERN = "[A-Za-z0-9_-]{1,64}";

    public Schedule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(catchUp, "catchUp");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!id.matches(ID_PATTERN)) {
            throw new IllegalArgumentException("a schedule id is 1 to 64 letters, digits, '-' or '_', got '" + id + "'");
        }
        if (textTemplate == null && htmlTemplate == null) {
            throw new IllegalArgumentException("a schedule needs a text template, an HTML template, or both");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
        }
        if (window != null && trigger instanceof Trigger.Once) {
            throw new IllegalArgumentException("a relative window needs a cron schedule: its width is the time to the next slot");
        }
    }

    /** A schedule on the default subscriber source, without validation. */
    public Schedule(String id, Trigger trigger, CatchUp catchUp, boolean paused, String subject, String from,
                    String replyTo, String textTemplate, String htmlTemplate, String audience, int chunkSize,
                    RelativeWindow window, Instant createdAt) {
        this(id, trigger, catchUp, paused, subject, from, replyTo, textTemplate, htmlTemplate, audience,
                SubscriberMapping.DEFAULT, chunkSize, window, createdAt, null);
    }

    public Schedule withPaused(boolean paused) {
        return new Schedule(id, trigger, catchUp, paused, subject, from, replyTo, textTemplate, htmlTemplate, audience,
                source, chunkSize, window, createdAt, validation);
    }

    /** This definition in place of {@code old}: old's creation time (its slot history) and paused state. */
    public Schedule keeping(Schedule old) {
        return new Schedule(id, trigger, catchUp, old.paused, subject, from, replyTo, textTemplate, htmlTemplate,
                audience, source, chunkSize, window, old.createdAt, validation);
    }
}
