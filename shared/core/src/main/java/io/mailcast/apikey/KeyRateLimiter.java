package io.mailcast.apikey;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each key's rate on this node: a token bucket holding up to one second of the key's rate. A batch takes as many
 * tokens as it has messages; one larger than the bucket is let through when the bucket is full and leaves it in debt,
 * so the next requests wait until the rate is met again.
 */
public final class KeyRateLimiter {

    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public KeyRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Takes {@code messages} tokens; the wait before trying again when there are not enough, or zero when taken. */
    public Duration take(ApiKey key, int messages) {
        if (key.ratePerSecond() == 0) {
            return Duration.ZERO;
        }
        Bucket bucket = buckets.computeIfAbsent(key.id(), id -> new Bucket(key.ratePerSecond(), clock.millis()));
        return bucket.take(key.ratePerSecond(), messages, clock.millis());
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
