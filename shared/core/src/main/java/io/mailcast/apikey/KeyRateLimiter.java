package io.mailcast.apikey;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Each key's share of its rate on this node: the key's rate divided by the nodes serving the API, so the nodes
 * together never admit more than the rate (a balancer that favours one node gives the key less, never more). A token
 * bucket holds up to one second of the share. A batch takes as many tokens as it has messages; one larger than the
 * bucket is let through when the bucket is full and leaves it in debt, so the next requests wait until the rate is met
 * again.
 */
public final class KeyRateLimiter {

    private final Clock clock;
    private final IntSupplier nodes;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param nodes how many nodes share each key's rate now (the cluster's members) */
    public KeyRateLimiter(Clock clock, IntSupplier nodes) {
        this.clock = clock;
        this.nodes = nodes;
    }

    /** A limiter of one node alone. */
    public KeyRateLimiter(Clock clock) {
        this(clock, () -> 1);
    }

    /** Takes {@code messages} tokens; the wait before trying again when there are not enough, or zero when taken. */
    public Duration take(ApiKey key, int messages) {
        if (key.ratePerSecond() == 0) {
            return Duration.ZERO;
        }
        double share = key.ratePerSecond() / Math.max(1, nodes.getAsInt());
        Bucket bucket = buckets.computeIfAbsent(key.id(), id -> new Bucket(share, clock.millis()));
        return bucket.take(share, messages, clock.millis());
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(double capacity, long now) {
            this.tokens = capacity;
            this.updatedAt = now;
        }

        synchronized Duration take(double rate, int messages, long now) {
            tokens = Math.min(rate, tokens + (now - updatedAt) * rate / 1000);
            updatedAt = now;
            double needed = Math.min(messages, rate);
            if (tokens >= needed) {
                tokens -= messages;
                return Duration.ZERO;
            }
            return Duration.ofMillis((long) Math.ceil((needed - tokens) * 1000 / rate));
        }
    }
}
