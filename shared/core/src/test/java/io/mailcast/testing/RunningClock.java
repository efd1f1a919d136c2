package io.mailcast.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs at real speed from an instant the test chooses, and that the test can jump forward: for code that
 * sleeps for real (a cluster of nodes) but must meet a calendar boundary (the next quota hour) at a known moment.
 * Thread-safe; {@link #withZone} views share the time.
 */
public final class RunningClock extends Clock {

    /** The instant the clock showed at a {@link System#nanoTime()} reading. */
    private record Origin(Instant at, long nanos) {
    }

    private final AtomicReference<Origin> origin;
    private final ZoneId zone;

    public RunningClock(Instant start) {
        this(new AtomicReference<>(new Origin(Objects.requireNonNull(start, "start"), System.nanoTime())), ZoneOffset.UTC);
    }

    private RunningClock(AtomicReference<Origin> origin, ZoneId zone) {
        this.origin = origin;
        this.zone = zone;
    }

    /** Jumps to {@code instant}, from where the clock runs on; never backwards. */
    public RunningClock jumpTo(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        if (instant.isBefore(instant())) {
            throw new IllegalArgumentException("a running clock only jumps forward: it is " + instant() + ", asked for "
                    + instant);
        }
        origin.set(new Origin(instant, System.nanoTime()));
        return this;
    }

    @Override
    public Instant instant() {
        Origin o = origin.get();
        return o.at().plus(Duration.ofNanos(System.nanoTime() - o.nanos()));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new RunningClock(origin, zone);
    }

    @Override
    public String toString() {
        return "RunningClock[" + instant() + "," + zone + "]";
    }
}
