package io.mailcast.sender.relay;

import io.mailcast.time.Sleeper;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Rate limits and quotas enforced in this process. Used as is by a single node, and by {@code ClusterRateLimiter}
 * with each node's share of the cluster-wide numbers.
 */
public final class LocalRateLimiter implements RateLimiter {

    /** Quota value meaning "no quota". */
    public static final long NO_QUOTA = Long.MAX_VALUE;

    private final Map<String, Pacer> pacers = new HashMap<>();
    private final Map<String, QuotaCounter> quotas = new HashMap<>();
    private final Clock clock;
    private final Sleeper sleeper;

    /** Limits and quotas as configured, for the whole of {@code relays}. */
    public LocalRateLimiter(RelaySet relays, Clock clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        for (RelayConfig relay : relays.relays()) {
            pacers.put(relay.name(), new Pacer(relay.messagesPerSecond()));
            QuotaCounter quota = new QuotaCounter();
            quota.setLimits(quotaOrNone(relay.perHour()), quotaOrNone(relay.perDay()));
            quotas.put(relay.name(), quota);
        }
    }

    public LocalRateLimiter(RelaySet relays, Clock clock) {
        this(relays, clock, Sleeper.SYSTEM);
    }

    @Override
    public boolean hasQuota(String relay, Instant now) {
        return quota(relay).hasRoom(now.toEpochMilli());
    }

    @Override
    public boolean acquire(String relay, double factor, Instant deadline) throws InterruptedException {
        QuotaCounter quota = quota(relay);
        if (!quota.hasRoom(clock.millis()) || !pacer(relay).await(factor, deadline, clock, sleeper)) {
            return false;
        }
        // Counted only now: the quota may have run out, or the hour turned, while this send waited for its slot.
        return quota.take(clock.millis());
    }

    /**
     * Sets this process's limit for {@code relay}. Unlike a configured limit it may be tiny: a cluster-wide limit split
     * over many nodes.
     */
    @Override
    public void setRate(String relay, double messagesPerSecond) {
        if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("relay '" + relay + "': messages per second must be 0 (unlimited) or a "
                    + "positive number, got " + messagesPerSecond);
        }
        pacer(relay).setRate(messagesPerSecond);
    }

    /** Sets how many messages this process may send per UTC hour and day, {@link #NO_QUOTA} for no limit. */
    public void setQuotas(String relay, long perHour, long perDay) {
        if (perHour < 0 || perDay < 0) {
            throw new IllegalArgumentException("relay '" + relay + "': quotas must not be negative");
        }
        quota(relay).setLimits(perHour, perDay);
    }

    /** The limit in force for {@code relay}, messages per second, 0 for none. */
    public double rate(String relay) {
        return pacer(relay).rate();
    }

    private static long quotaOrNone(long configured) {
        return configured == 0 ? NO_QUOTA : configured;
    }

    private Pacer pacer(String relay) {
        Pacer pacer = pacers.get(relay);
        if (pacer == null) {
            throw new IllegalArgumentException("no relay named '" + relay + "'; known: " + pacers.keySet());
        }
        return pacer;
    }

    private QuotaCounter quota(String relay) {
        QuotaCounter quota = quotas.get(relay);
        if (quota == null) {
            throw new IllegalArgumentException("no relay named '" + relay + "'; known: " + quotas.keySet());
        }
        return quota;
    }
}
