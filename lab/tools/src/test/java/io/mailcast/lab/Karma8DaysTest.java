package io.mailcast.lab;

import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 004 end to end over simulated days: karma8 users in MongoDB, the daily reminder schedule fired by the
 * supervisor's firer on a clock set to each slot, two engines on a real two-member Hazelcast cluster. Every user due a
 * 3-day or 1-day reminder (worked out in this test from the generated users, not by the code under test) gets exactly
 * that one message; nobody else gets any.
 */
class Karma8DaysTest {

    private static final long USERS = 20_000;
    private static final int DAYS = 4;

    @Test
    void everyUserWhoseExpiryFallsInAWindowGetsExactlyOneThreeDayAndOneOneDayReminder() throws Exception {
        try (EmbeddedMongo server = EmbeddedMongo.start("127.0.0.1", 0);
             MongoConnection mongo = MongoConnection.open(server.uri(), Duration.ofSeconds(10)).ensureIndexes()) {
            var run = new Karma8Days(mongo, new MongoSubscriberSource(mongo),
                    new Karma8Days.Settings(USERS, DAYS, 250, 200, Duration.ZERO, 5971));
            run.populate(n -> { });

            List<Karma8Days.Day> days = run.run(d -> { });

            Map<String, Integer> expected = expected(run.firstSlot());
            Map<String, Integer> received = new HashMap<>();
            run.inbox().received().forEach((k, v) -> received.put(k, v.get()));
            assertThat(expected).as("the run covers both offsets").isNotEmpty();
            assertThat(received).isEqualTo(expected);
            assertThat(days).extracting(Karma8Days.Day::sent).containsExactlyElementsOf(
                    days.stream().map(Karma8Days.Day::due).toList());
        }
    }

    /** {@code subscriberId|subject} to 1 for each reminder owed, computed from the users' own fields. */
    private static Map<String, Integer> expected(Instant firstSlot) {
        var users = new io.mailcast.lab.fixtures.Karma8Generator(firstSlot);
        long day = Duration.ofDays(1).toSeconds();
        long first = firstSlot.getEpochSecond();
        Map<String, Integer> owed = new HashMap<>();
        AtomicInteger threes = new AtomicInteger();
        for (long id = 1; id <= USERS; id++) {
            var a = users.subscriber(id).attributes();
            long validts = ((Number) a.get("validts")).longValue();
            boolean mailable = Boolean.TRUE.equals(a.get("confirmed")) || Boolean.TRUE.equals(a.get("valid"));
            if (validts == 0 || !mailable) {
                continue;
            }
            long expiresOnDay = (validts - first) / day;
            if (expiresOnDay >= 3 && expiresOnDay - 3 < DAYS) {
                owed.put(id + "|3 days left on your subscription", 1);
                threes.incrementAndGet();
            }
            if (expiresOnDay >= 1 && expiresOnDay - 1 < DAYS) {
                owed.put(id + "|1 days left on your subscription", 1);
            }
        }
        assertThat(threes.get()).as("3-day reminders owed").isPositive();
        return owed;
    }
}
