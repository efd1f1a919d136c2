package io.mailcast.sender.relay;

import io.mailcast.time.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Spaces sends to one relay at least {@code 1 / rate} apart (no bursts), so that the node shares of a cluster-wide
 * limit add up to at most the limit.
 *
 * <p>Waiters queue on a fair lock and only the head sleeps, until the next slot or at most {@link #MAX_NAP}: a rate
 * change (raised by an operator, or cut by throttling) applies to the very next send, not after slots handed out at
 * the old rate.
 *
 * <p>Urgent sends (send-API messages) have a lane of their own: ordinary sends first queue in a second fair lock, so at
 * most one of them waits for a slot among the urgent ones. A password reset waits for at most one newsletter's slot,
 * not for every campaign send already queued.
 *
 * <p>A relay without a limit that starts throttling us has no rate to halve; it is slowed relative to the rate this
 * node achieved in the last second before the throttling began, and runs free again when the throttling is over.
 */
final class Pacer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Duration MAX_NAP = Duration.ofSeconds(1);

    private final ReentrantLock lock = new ReentrantLock(true);
    private final ReentrantLock ordinaryLane = new ReentrantLock(true);
    private volatile double perSecond;
    // Guarded by lock. The last grant rather than the next free slot, so a new rate or factor also applies to the gap
    // since the last send.
    private long lastGrantNanos = Long.MIN_VALUE;
    private long second = Long.MIN_VALUE;
    private long sentThisSecond;
    private long sentLastSecond;
    private double throttledBase;

    Pacer(double perSecond) {
        this.perSecond = perSecond;
    }

    void setRate(double newPerSecond) {
        perSecond = newPerSecond;
    }

    double rate() {
        return perSecond;
    }

    /**
     * Waits for a slot; false when it would come after {@code deadline}.
     *
     * @param urgent ahead of every ordinary send that is not yet the next in line
     */
    boolean await(double factor, boolean urgent, Instant deadline, Clock clock, Sleeper sleeper)
            throws InterruptedException {
        if (urgent) {
            return awaitSlot(factor, deadline, clock, sleeper);
        }
        if (!tryLock(ordinaryLane, deadline, clock)) {
            return false;
        }
        try {
            return awaitSlot(factor, deadline, clock, sleeper);
        } finally {
            ordinaryLane.unlock();
        }
    }

    private boolean awaitSlot(double factor, Instant deadline, Clock clock, Sleeper sleeper)
            throws InterruptedException {
        long deadlineNanos = nanos(deadline);
        if (!tryLock(lock, deadline, clock)) {
            return false;
        }
        try {
            while (true) {
                long now = nanos(clock.instant());
                countUpTo(now);
                long interval = intervalNanos(factor);
                long slot = interval == 0 ? now : Math.max(now, lastGrantNanos + interval);
                if (slot > deadlineNanos) {
                    return false;
                }
                if (slot == now) {
                    lastGrantNanos = now;
                    sentThisSecond++;
                    return true;
                }
                sleeper.sleep(Duration.ofNanos(Math.min(slot - now, MAX_NAP.toNanos())));
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean tryLock(ReentrantLock lock, Instant deadline, Clock clock) throws InterruptedException {
        long patience = nanos(deadline) - nanos(clock.instant());
        return patience > 0 ? lock.tryLock(patience, TimeUnit.NANOSECONDS) : lock.tryLock();
    }

    /** Nanoseconds between two sends, 0 for no limit. */
    private long intervalNanos(double factor) {
        double base = perSecond;
        if (factor >= 1) {
            throttledBase = 0;
        } else if (base == 0) {
            if (throttledBase == 0) {
                throttledBase = Math.max(1, Math.max(sentLastSecond, sentThisSecond));
            }
            base = throttledBase;
        }
        if (base == 0) {
            return 0;
        }
        // Rounded up: the node never goes faster than its share.
        return (long) Math.ceil(NANOS_PER_SECOND / (base * Math.min(1, factor)));
    }

    private void countUpTo(long nowNanos) {
        long current = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        if (current != second) {
            sentLastSecond = current == second + 1 ? sentThisSecond : 0;
            sentThisSecond = 0;
            second = current;
        }
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    }
}
