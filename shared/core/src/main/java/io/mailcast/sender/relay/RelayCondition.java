package io.mailcast.sender.relay;

/**
 * What the cluster knows about one relay's health, as plain values so every node (and an entry processor on a
 * partition thread) derives the same answers from it. Time is always passed in; nothing here reads a clock.
 *
 * <p>The rate factor is stored as the value set at the last halving and the time of it; the current factor is derived
 * from those ({@link #factorAt}), so ramping back up needs no timer and no writes.
 *
 * @param downUntilMillis   the relay is skipped until this epoch millisecond (0 = never marked down)
 * @param factor            share of the relay's rate allowed right after the last halving, in (0, 1]
 * @param factorSinceMillis when that halving happened
 */
public record RelayCondition(long downUntilMillis, double factor, long factorSinceMillis) {

    public static final RelayCondition HEALTHY = new RelayCondition(0, 1.0, 0);

    public RelayCondition {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("rate factor must be in (0, 1], got " + factor);
        }
    }

    public boolean isDownAt(long nowMillis) {
        return nowMillis < downUntilMillis;
    }

    /** Marked down until {@code untilMillis}, or later if someone already marked it down for longer. */
    public RelayCondition markedDown(long untilMillis) {
        return new RelayCondition(Math.max(downUntilMillis, untilMillis), factor, factorSinceMillis);
    }

    /** The allowed share of the rate now: the factor after the last halving, doubled per quiet period since. */
    public double factorAt(long nowMillis, Throttling throttling) {
        if (factor >= 1) {
            return 1;
        }
        long quietPeriods = Math.max(0, nowMillis - factorSinceMillis) / throttling.quietPeriod().toMillis();
        // 2^64 is far beyond the 1/minFactor a factor can be below 1: stop early instead of overflowing the shift.
        return quietPeriods >= 63 ? 1 : Math.min(1, factor * (1L << quietPeriods));
    }

    /**
     * After a throttling reply: half the current factor (not below the minimum), unless the last halving was within
     * the settle time, when this reply is most likely an echo of the same overload.
     */
    public RelayCondition throttled(long nowMillis, Throttling throttling) {
        double current = factorAt(nowMillis, throttling);
        if (current < 1 && nowMillis - factorSinceMillis < throttling.settle().toMillis()) {
            return this;
        }
        return new RelayCondition(downUntilMillis, Math.max(throttling.minFactor(), current / 2), nowMillis);
    }
}
