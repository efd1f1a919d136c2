package io.mailcast.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A point in time typed as an instant ({@code 2026-12-07T00:00:00Z}) or as a duration from now ({@code PT6H}). */
final class InstantOrDuration {

    private InstantOrDuration() {
    }

    /** @throws IllegalArgumentException naming {@code option} and both accepted forms */
    static Instant parse(String option, String text, Instant now) {
        try {
            return text.startsWith("P") ? now.plus(Duration.parse(text)) : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an instant such as 2026-12-07T00:00:00Z or a "
                    + "duration such as PT6H, got " + text);
        }
    }
}
