package io.mailcast.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests set and advance by hand. Thread-safe: readers on other threads see every change at once, and
 * concurrent {@link #advance} calls add up. Clocks derived with {@link #withZone} share the same time.
 */
public final class SettableClock extends Clock {

    /** Where a clock created without a start instant begins: 2025-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public SettableClock() {
        this(DEFAULT_START);
    }

    public SettableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Sets the time (it may go backwards, to test code against clock jumps). */
    public SettableClock set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
        return this;
    }

    public SettableClock setMillis(long epochMillis) {
        return set(Instant.ofEpochMilli(epochMillis));
    }

    /** Moves the time by {@code duration} (negative moves it back) and returns the new instant. */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return now.updateAndGet(t -> t.plus(duration));
    }

    public Instant advanceMillis(long millis) {
        return advance(Duration.ofMillis(millis));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's time: setting either moves both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new SettableClock(now, zone);
    }

    @Override
    public String toString() {
        return "SettableClock[" + now.get() + "," + zone + "]";
    }
}
