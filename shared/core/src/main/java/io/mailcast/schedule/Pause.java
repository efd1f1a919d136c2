package io.mailcast.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * A time a schedule was paused, kept in the schedule so a slot skipped on resume can say it was the pause.
 *
 * @param until when it was resumed, {@code null} while still paused
 */
public record Pause(Instant from, Instant until) {

    public Pause {
        Objects.requireNonNull(from, "from");
    }

    public boolean covers(Instant slot) {
        return !slot.isBefore(from) && (until == null || slot.isBefore(until));
    }

    @Override
    public String toString() {
        return "paused " + from + (until == null ? ", not resumed" : " to " + until);
    }
}
