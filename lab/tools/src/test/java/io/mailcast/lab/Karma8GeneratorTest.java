package io.mailcast.lab;

import io.mailcast.lab.fixtures.Karma8Generator;
import io.mailcast.subscriber.Subscriber;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Seed 004's users in the seed's proportions, the same for the same id. */
class Karma8GeneratorTest {

    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final int USERS = 100_000;

    @Test
    void proportionsAndExpiriesFollowTheSeed() {
        var generator = new Karma8Generator(FROM);
        long withSubscription = 0;
        long confirmed = 0;
        long checked = 0;
        long valid = 0;
        for (long id = 1; id <= USERS; id++) {
            Subscriber s = generator.subscriber(id);
            long validts = (Long) s.attributes().get("validts");
            if (validts != 0) {
                withSubscription++;
                assertThat(validts).isBetween(FROM.getEpochSecond(), FROM.plus(Karma8Generator.SPREAD).getEpochSecond());
            }
            confirmed += Boolean.TRUE.equals(s.attributes().get("confirmed")) ? 1 : 0;
            checked += Boolean.TRUE.equals(s.attributes().get("checked")) ? 1 : 0;
            valid += Boolean.TRUE.equals(s.attributes().get("valid")) ? 1 : 0;
            assertThat(s.subscribed()).isTrue();
        }
        assertThat(withSubscription / (double) USERS).isCloseTo(0.20, within(0.01));
        assertThat(confirmed / (double) USERS).isCloseTo(0.15, within(0.01));
        assertThat(checked / (double) USERS).isCloseTo(0.85 * 0.5, within(0.01));
        assertThat(valid / (double) checked).isCloseTo(0.8, within(0.01));
        assertThat(generator.subscriber(42)).isEqualTo(new Karma8Generator(FROM).subscriber(42));
    }
}
