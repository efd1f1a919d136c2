package io.mailcast.sender.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * How a relay that answers with a throttling reply (421, 451, 452, 454) is slowed down and sped up again.
 *
 * @param settle      throttling replies within this time of the last halving do not halve again: the sends already
 *                    in flight when the relay started complaining all come back with the same reply
 * @param quietPeriod after this long without a halving the allowed rate doubles, up to the full rate
 * @param minFactor   the rate is never cut below this share of the full rate, so the relay is still probed
 */
public record Throttling(Duration settle, Duration quietPeriod, double minFactor) {

    public Throttling {
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        if (settle.isNegative() || quietPeriod.toMillis() < 1) {
            throw new IllegalArgumentException("throttle settle time must not be negative and the quiet period must be positive");
        }
        if (!(minFactor > 0 && minFactor <= 1)) {
            throw new IllegalArgumentException("minimum rate factor must be in (0, 1], got " + minFactor);
        }
    }

    /** Halvings at most every 5 s, doubling back after 60 quiet seconds, never below 1/64 of the rate. */
    public static Throttling defaults() {
        return new Throttling(Duration.ofSeconds(5), Duration.ofSeconds(60), 1.0 / 64);
    }
}
