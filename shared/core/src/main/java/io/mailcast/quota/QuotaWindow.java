package io.mailcast.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * One UTC clock hour or UTC day that a quota is counted in, e.g. hour {@code 2026-12-02T16} or day {@code 2026-12-02}.
 * Windows follow the calendar, not the first send: a provider's "per day" resets at midnight UTC for every sender.
 *
 * @param kind  hour or day
 * @param start the first instant of the window, on the kind's boundary
 */
public record QuotaWindow(Kind kind, Instant start) {

    public enum Kind {
        HOUR(ChronoUnit.HOURS, DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH")),
        DAY(ChronoUnit.DAYS, DateTimeFormatter.ofPattern("uuuu-MM-dd"));

        private final ChronoUnit unit;
        private final DateTimeFormatter format;

        Kind(ChronoUnit unit, DateTimeFormatter format) {
            this.unit = unit;
            this.format = format.withZone(ZoneOffset.UTC);
        }

        /** How long each window of this kind lasts (UTC has no daylight saving, so every day is 24 hours). */
        public Duration length() {
            return unit.getDuration();
        }

        /** {@code hour} or {@code day}, for messages. */
        public String noun() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public QuotaWindow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        if (!start.truncatedTo(kind.unit).equals(start)) {
            throw new IllegalArgumentException("a quota " + kind.noun() + " must start when a UTC " + kind.noun()
                    + " begins, got " + start);
        }
    }

    /** The window of {@code kind} that {@code instant} falls in. */
    public static QuotaWindow containing(Kind kind, Instant instant) {
        return new QuotaWindow(kind, instant.truncatedTo(kind.unit));
    }

    /** The window of {@code kind} that is current on {@code clock}. */
    public static QuotaWindow current(Kind kind, Clock clock) {
        return containing(kind, clock.instant());
    }

    /** {@code 2026-12-02T16} for an hour, {@code 2026-12-02} for a day; unique across kinds. */
    public String key() {
        return kind.format.format(start);
    }

    /** The first instant after the window, when its quota is whole again. */
    public Instant endsAt() {
        return start.plus(1, kind.unit);
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(endsAt());
    }

    @Override
    public String toString() {
        return kind.noun() + " " + key();
    }
}
