package io.mailcast.sender.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link RelayRouter} reacts to relay trouble.
 *
 * @param coolDown           how long a failing relay is skipped, cluster-wide, before it is tried again
 * @param failuresBeforeDown consecutive transient failures (not counting throttling or recipient rejections) on one
 *                           node that mark a relay down; a refused connection or login marks it down at once
 * @param maxRateWait        longest a send waits for a slot under a relay's rate limit before trying another relay.
 *                           Long on purpose: waiting is how the limit slows the campaign down, and a send that gives
 *                           up uses one of its few attempts
 * @param throttling         slow-down on throttling replies
 * @param maxDownWait        longest a send waits, when every relay is marked down, for the first one to come back
 *                           before it fails (retryable). Longer than the cool-down by default, so that an outage of
 *                           every relay delays a campaign instead of failing its recipients
 */
public record RoutingPolicy(Duration coolDown, int failuresBeforeDown, Duration maxRateWait, Throttling throttling,
                            Duration maxDownWait) {

    public RoutingPolicy {
        Objects.requireNonNull(coolDown, "coolDown");
        Objects.requireNonNull(maxRateWait, "maxRateWait");
        Objects.requireNonNull(throttling, "throttling");
        Objects.requireNonNull(maxDownWait, "maxDownWait");
        if (coolDown.toMillis() < 1) {
            throw new IllegalArgumentException("relay cool-down must be positive, got " + coolDown);
        }
        if (failuresBeforeDown < 1) {
            throw new IllegalArgumentException("failures before a relay is marked down must be at least 1, got " + failuresBeforeDown);
        }
        if (maxRateWait.isNegative()) {
            throw new IllegalArgumentException("the wait for a rate-limit slot must not be negative, got " + maxRateWait);
        }
        if (maxDownWait.isNegative()) {
            throw new IllegalArgumentException("the wait for a relay to come back must not be negative, got " + maxDownWait);
        }
    }

    /**
     * 10 minutes cool-down, down after 5 consecutive failures, up to 10 minutes waiting for a rate slot and up to 15
     * for a relay to come back when all are down.
     */
    public static RoutingPolicy defaults() {
        return new RoutingPolicy(Duration.ofMinutes(10), 5, Duration.ofMinutes(10), Throttling.defaults(),
                Duration.ofMinutes(15));
    }

    public RoutingPolicy withCoolDown(Duration newCoolDown) {
        return new RoutingPolicy(newCoolDown, failuresBeforeDown, maxRateWait, throttling, maxDownWait);
    }

    public RoutingPolicy withFailuresBeforeDown(int newFailuresBeforeDown) {
        return new RoutingPolicy(coolDown, newFailuresBeforeDown, maxRateWait, throttling, maxDownWait);
    }

    public RoutingPolicy withMaxRateWait(Duration newMaxRateWait) {
        return new RoutingPolicy(coolDown, failuresBeforeDown, newMaxRateWait, throttling, maxDownWait);
    }

    public RoutingPolicy withThrottling(Throttling newThrottling) {
        return new RoutingPolicy(coolDown, failuresBeforeDown, maxRateWait, newThrottling, maxDownWait);
    }

    public RoutingPolicy withMaxDownWait(Duration newMaxDownWait) {
        return new RoutingPolicy(coolDown, failuresBeforeDown, maxRateWait, throttling, newMaxDownWait);
    }
}
