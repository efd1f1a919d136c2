package io.mailcast.testing;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.store.Collections;
import io.mailcast.subscriber.Audience;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FixturesTest {

    @Test
    void settableClockSetsAndAdvances() {
        SettableClock clock = new SettableClock(Instant.parse("2025-05-01T00:00:00Z"));

        assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(Instant.parse("2025-05-01T00:01:30Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-05-01T00:01:30Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2025-05-01T00:01:30Z").toEpochMilli());

        clock.set(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(new SettableClock().instant()).isEqualTo(SettableClock.DEFAULT_START);
    }

    @Test
    void settableClockZoneViewsShareTheTime() {
        SettableClock clock = new SettableClock();
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advanceMillis(1_234);

        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(clock.instant());
    }

    @Test
    void concurrentAdvancesAddUp() throws Exception {
        SettableClock clock = new SettableClock();
        long start = clock.millis();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        clock.advanceMillis(1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(clock.millis() - start).isEqualTo(40_000);
    }

    @Test
    void campaignDefaults() {
        Campaign c = Campaigns.aCampaign().build();

        assertThat(c.id()).isEqualTo("c-test");
        assertThat(c.subject()).isEqualTo("Hello {{name}}");
        assertThat(c.from()).isEqualTo("News <news@example.com>");
        assertThat(c.textTemplate()).isEqualTo("Hi {{name}}");
        assertThat(c.htmlTemplate()).isEqualTo("<p>Hi {{name}}</p>");
        assertThat(c.audience()).isEqualTo(Audience.SUBSCRIBED);
        assertThat(c.chunkSize()).isEqualTo(100);
        assertThat(c.state()).isEqualTo(CampaignState.PLANNING);
        assertThat(c.createdAt()).isEqualTo(Campaigns.CREATED_AT);
        assertThat(c.startedAt()).isNull();
        assertThat(Campaigns.from(c).state(CampaignState.RUNNING).build())
                .isEqualTo(new Campaign(c.id(), c.subject(), c.from(), c.replyTo(), c.textTemplate(), c.htmlTemplate(),
                        c.audience(), c.chunkSize(), CampaignState.RUNNING, c.stateReason(), c.eligible(), c.chunks(),
                        c.createdAt(), c.startedAt(), c.finishedAt()));
    }

    @Test
    void mongoFixtureDropAllEmptiesTheStoreAndKeepsIndexes() {
        try (MongoFixture mongo = MongoFixture.start()) {
            var db = mongo.connection().database();
            db.getCollection(Collections.SUBSCRIBERS).insertOne(new Document("_id", 1L));
            db.getCollection(Collections.CHUNKS).insertOne(new Document("_id", "c/000000"));

            mongo.dropAll();

            assertThat(db.getCollection(Collections.SUBSCRIBERS).countDocuments()).isZero();
            assertThat(db.getCollection(Collections.CHUNKS).countDocuments()).isZero();
            List<String> indexes = db.getCollection(Collections.CHUNKS).listIndexes()
                    .map(d -> d.getString("name")).into(new ArrayList<>());
            assertThat(indexes).contains("campaign_index");
            assertThat(mongo.uri()).startsWith("mongodb://127.0.0.1:");
        }
    }
}
