package io.mailcast.engine;

import java.time.Clock;
import java.time.Duration;

/**
 * How many recipients a chunk reserves per write, ahead of the message going to a relay: about {@link #AHEAD} of the
 * node's recent send rate, shared among its chunk slots, at least {@link #MIN_STEP}, at most the tuning's step. Each
 * reserved recipient not yet sent when the node dies is counted uncertain by the next owner, and each write costs the
 * board and the store a round trip: a slow node reserves few per write, a fast one more. One per node, so that a new
 * chunk starts at the node's pace instead of ramping up on its own (short chunks never would). The rate is what was
 * reserved over the last {@link #WINDOW} and the part of the current one, which smooths out the bursts in which a
 * connection hands over its batch.
 */
public final class ReservationPace {

    static final Duration AHEAD = Duration.ofMillis(100);
    static final Duration WINDOW = Duration.ofSeconds(1);
    static final int MIN_STEP = 8;

    private final Clock clock;
    private final int maxStep;
    private final int chunkSlots;
    private long windowStart;
    private long inWindow;
    private long inPrevious;
    private volatile int lastStep;

    public ReservationPace(Clock clock, DeliveryTuning tuning) {
        this(clock, tuning.reserveStep(), tuning.chunkSlots());
    }

    ReservationPace(Clock clock, int maxStep, int chunkSlots) {
        this.clock = clock;
        this.maxStep = maxStep;
        this.chunkSlots = chunkSlots;
        this.windowStart = clock.millis();
    }

    /** The step for a reservation being written now. */
    synchronized int next() {
        long now = clock.millis();
        long sinceStart = now - windowStart;
        if (sinceStart >= WINDOW.toMillis()) {
            inPrevious = sinceStart >= 2 * WINDOW.toMillis() ? 0 : inWindow;
            inWindow = 0;
            windowStart = now;
            sinceStart = 0;
        }
        long perChunkAhead = (inPrevious + inWindow) * AHEAD.toMillis() / (WINDOW.toMillis() + sinceStart) / chunkSlots;
        int step = Math.clamp(perChunkAhead, Math.min(MIN_STEP, maxStep), maxStep);
        inWindow += step;
        lastStep = step;
        return step;
    }

    /** The last step handed out, the smallest before the first; safe from any thread. */
    int current() {
        return Math.max(lastStep, Math.min(MIN_STEP, maxStep));
    }
}
