package io.mailcast.apikey;

import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRateLimiterTest {

    private final SettableClock clock = new SettableClock();
    private final KeyRateLimiter limiter = new KeyRateLimiter(clock);

    private static ApiKey key(double rate) {
        return new ApiKey("k", "test", "hash", List.of("example.com"), rate, SettableClock.DEFAULT_START, null);
    }

    @Test
    void aKeyGetsItsRateWithABurstOfOneSecond() {
        ApiKey two = key(2);
        assertThat(limiter.take(two, 1)).isZero();
        assertThat(limiter.take(two, 1)).isZero();
        assertThat(limiter.take(two, 1)).isEqualTo(Duration.ofMillis(500));

        clock.advance(Duration.ofMillis(500));
        assertThat(limiter.take(two, 1)).isZero();
    }

    @Test
    void aBatchLargerThanTheBucketPassesWhenItIsFullAndLeavesItInDebt() {
        ApiKey ten = key(10);
        assertThat(limiter.take(ten, 100)).isZero();
        assertThat(limiter.take(ten, 1)).isEqualTo(Duration.ofMillis(9_100));
    }

    @Test
    void eachNodeAdmitsItsShareOfTheKeysRateAndTheShareFollowsTheNodes() {
        var nodes = new java.util.concurrent.atomic.AtomicInteger(2);
        var shared = new KeyRateLimiter(clock, nodes::get);
        ApiKey ten = key(10);
        for (int i = 0; i < 5; i++) {
            assertThat(shared.take(ten, 1)).as("message %d of this node's 5 per second", i + 1).isZero();
        }
        assertThat(shared.take(ten, 1)).isEqualTo(Duration.ofMillis(200));

        nodes.set(1); // the other node left: this one now admits the whole rate
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            assertThat(shared.take(ten, 1)).isZero();
        }
        assertThat(shared.take(ten, 1)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void zeroMeansNoLimit() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.take(key(0), 1_000)).isZero();
        }
    }

    @Test
    void secretsAreRandomAndHashedAsHex() {
        String secret = ApiKeySecret.generate();
        assertThat(secret).startsWith(ApiKeySecret.PREFIX).hasSize(ApiKeySecret.PREFIX.length() + 43);
        assertThat(ApiKeySecret.generate()).isNotEqualTo(secret);
        assertThat(ApiKeySecret.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
