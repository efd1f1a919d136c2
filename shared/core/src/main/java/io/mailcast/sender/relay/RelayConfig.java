package io.mailcast.sender.relay;

import java.util.Objects;

/**
 * One relay of a {@link RelaySet}. Rates and quotas are cluster-wide: each node enforces its share of the rate, and
 * quotas are counted for the whole cluster in the quota ledger (see {@link QuotaAllowance}).
 *
 * @param name              unique name, reported as the relay of each delivery; letters, digits, '.', '_' and '-'
 * @param endpoint          SMTP relay or simulator
 * @param weight            share of the traffic relative to the other relays (smooth weighted round robin), at least 1
 * @param messagesPerSecond cluster-wide limit, 0 for none; at least {@value #MIN_RATE} otherwise
 * @param perHour           cluster-wide messages per clock hour (UTC), 0 for no quota
 * @param perDay            cluster-wide messages per UTC day, 0 for no quota
 */
public record RelayConfig(String name, RelayEndpoint endpoint, int weight, double messagesPerSecond, long perHour,
                          long perDay) {

    /** Slowest configurable rate (one message every 100 s); lower values are almost certainly a unit mistake. */
    public static final double MIN_RATE = 0.01;

    public RelayConfig {
        Objects.requireNonNull(name, "relay name");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("relay name '" + name
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(endpoint, () -> "relay '" + name + "' has no endpoint");
        if (weight < 1) {
            throw new IllegalArgumentException("relay '" + name + "': weight must be at least 1, got " + weight);
        }
        checkRate(name, messagesPerSecond);
        if (perHour < 0 || perDay < 0) {
            throw new IllegalArgumentException("relay '" + name + "': quotas must not be negative (0 = none)");
        }
    }

    /** A relay with weight 1, no rate limit and no quotas. */
    public static RelayConfig of(String name, RelayEndpoint endpoint) {
        return new RelayConfig(name, endpoint, 1, 0, 0, 0);
    }

    public RelayConfig withWeight(int newWeight) {
        return new RelayConfig(name, endpoint, newWeight, messagesPerSecond, perHour, perDay);
    }

    public RelayConfig withRate(double newMessagesPerSecond) {
        return new RelayConfig(name, endpoint, weight, newMessagesPerSecond, perHour, perDay);
    }

    public RelayConfig withQuotas(long newPerHour, long newPerDay) {
        return new RelayConfig(name, endpoint, weight, messagesPerSecond, newPerHour, newPerDay);
    }

    /** Rejects a rate that is negative, not a number, or so low it must be a mistake; 0 means unlimited. */
    public static void checkRate(String relay, double messagesPerSecond) {
        if (!(messagesPerSecond == 0 || messagesPerSecond >= MIN_RATE) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("relay '" + relay + "': messages per second must be 0 (unlimited) or between "
                    + MIN_RATE + " and a finite number, got " + messagesPerSecond);
        }
    }

    public String describe() {
        return name + "=" + endpoint.describe() + " weight=" + weight
                + " rate=" + (messagesPerSecond == 0 ? "unlimited" : messagesPerSecond + "/s")
                + (perHour > 0 ? " per-hour=" + perHour : "") + (perDay > 0 ? " per-day=" + perDay : "");
    }
}
