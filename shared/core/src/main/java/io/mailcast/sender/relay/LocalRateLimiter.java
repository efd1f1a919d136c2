package io.mailcast.sender.relay;

import io.mailcast.quota.LocalQuotaLedger;
import io.mailcast.quota.QuotaLedger;
import io.mailcast.time.Sleeper;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Rate limits enforced in this process, and quotas drawn from a {@link QuotaLedger}. Used as is by a single node, and
 * by {@code ClusterRateLimiter} with each node's share of the cluster-wide rates (quotas need no share: the ledger is
 * the cluster's).
 */
public final class LocalRateLimiter implements RateLimiter {

    private final Map<String, Pacer> pacers = new HashMap<>();
    private final QuotaAllowance quotas;
    private final Clock clock;
    private final Sleeper sleeper;

    /** Limits as configured, for the whole of {@code relays}; quotas counted in {@code ledger}. */
    public LocalRateLimiter(RelaySet relays, QuotaLedger ledger, Clock clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.quotas = new QuotaAllowance(relays, ledger, clock);
        for (RelayConfig relay : relays.relays()) {
            pacers.put(relay.name(), new Pacer(relay.messagesPerSecond()));
        }
    }

    /** A process on its own: quotas counted in memory, forgotten at exit. */
    public LocalRateLimiter(RelaySet relays, Clock clock, Sleeper sleeper) {
        this(relays, new LocalQuotaLedger(), clock, sleeper);
    }

    public LocalRateLimiter(RelaySet relays, Clock clock) {
        this(relays, clock, Sleeper.SYSTEM);
    }

    @Override
    public boolean hasQuota(String relay, Instant now) {
        return quotas.hasRoom(relay, now);
    }

    @Override
    public Instant quotaRenewsAt(String relay, Instant now) {
        return quotas.renewsAt(relay, now);
    }

    @Override
    public Slot acquire(String relay, double factor, boolean urgent, Instant deadline) throws InterruptedException {
        if (!quotas.hasRoom(relay, clock.instant())) {
            return Slot.NO_QUOTA;
        }
        if (!pacer(relay).await(factor, urgent, deadline, clock, sleeper)) {
            return Slot.TOO_LATE;
        }
        // Counted only now: the quota may have run out, or the hour turned, while this send waited for its slot.
        return quotas.take(relay) ? Slot.TAKEN : Slot.NO_QUOTA;
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

    /** The limit in force for {@code relay}, messages per second, 0 for none. */
    public double rate(String relay) {
        return pacer(relay).rate();
    }

    /** Gives the quota units this process holds and has not spent back to the ledger. */
    @Override
    public void close() {
        quotas.close();
    }

    private Pacer pacer(String relay) {
        Pacer pacer = pacers.get(relay);
        if (pacer == null) {
            throw new IllegalArgumentException("no relay named '" + relay + "'; known: " + pacers.keySet());
        }
        return pacer;
    }
}
