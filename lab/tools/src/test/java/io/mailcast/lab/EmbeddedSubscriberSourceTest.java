package io.mailcast.lab;

import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.subscriber.SubscriberSource;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's {@code $in} fast path returns exactly what the plain range query returns, on the real embedded server. */
class EmbeddedSubscriberSourceTest {

    private static EmbeddedMongo embedded;
    private static MongoConnection mongo;
    private SubscriberSource fast;
    private SubscriberSource plain;

    @BeforeAll
    static void start() {
        embedded = EmbeddedMongo.start("127.0.0.1", 0);
        mongo = MongoConnection.open(embedded.uri(), Duration.ofSeconds(5)).ensureIndexes();
    }

    @AfterAll
    static void stop() {
        mongo.close();
        embedded.close();
    }

    @BeforeEach
    void fresh() {
        mongo.database().getCollection(Collections.SUBSCRIBERS).deleteMany(new Document());
        fast = EmbeddedSubscriberSource.over(mongo);
        plain = new MongoSubscriberSource(mongo);
        assertThat(fast).isInstanceOf(EmbeddedSubscriberSource.class);
    }

    @Test
    void integerRangeWithTheAudienceFilterApplied() {
        for (long id = 1; id <= 300; id++) {
            insert(id, id % 3 != 0);
        }
        IdRange range = IdRange.closed(SubscriberId.of(10), SubscriberId.of(250));

        List<Subscriber> found = fast.eligibleInRange(Audience.SUBSCRIBED, range, 161);

        assertThat(ids(found)).hasSize(161).isEqualTo(ids(plain.eligibleInRange(Audience.SUBSCRIBED, range, 161)));
    }

    @Test
    void fractionalIdsPlannedInTheRangeAreNotMissed() {
        for (long id = 1; id <= 20; id++) {
            insert(id, true);
        }
        insert(3.5, true);
        insert(7.25, true);
        IdRange range = IdRange.closed(SubscriberId.of(1), SubscriberId.of(10));

        List<Subscriber> found = fast.eligibleInRange(Audience.SUBSCRIBED, range, 12);

        assertThat(ids(found)).hasSize(12).contains("3.5", "7.25")
                .isEqualTo(ids(plain.eligibleInRange(Audience.SUBSCRIBED, range, 12)));
    }

    @Test
    void subscribersGoneSincePlanningLeaveTheRest() {
        for (long id = 1; id <= 50; id++) {
            insert(id, true);
        }
        mongo.database().getCollection(Collections.SUBSCRIBERS).deleteOne(new Document("_id", 7L));
        IdRange range = IdRange.closed(SubscriberId.of(1), SubscriberId.of(50));

        assertThat(ids(fast.eligibleInRange(Audience.SUBSCRIBED, range, 50))).hasSize(49).doesNotContain("7");
    }

    @Test
    void denseObjectIdRangeWithAnObjectIdInTheFilter() {
        String prefix = "65a000000000000000";
        for (int i = 0; i < 40; i++) {
            mongo.database().getCollection(Collections.SUBSCRIBERS).insertOne(new Document("_id",
                    new ObjectId(prefix + String.format("%06x", i))).append("email", "o" + i + "@example.com")
                    .append("subscribed", true));
        }
        IdRange range = IdRange.closed(SubscriberId.ofObjectId(prefix + "000005"), SubscriberId.ofObjectId(prefix + "00001e"));

        // As the benchmark cuts its audience: the driver's ObjectId must reach the embedded server's matcher intact.
        Audience upTo = new Audience("{\"subscribed\": true, \"_id\": {\"$lte\": {\"$oid\": \"" + prefix + "000019\"}}}");

        List<Subscriber> found = fast.eligibleInRange(upTo, range, 21);

        assertThat(ids(found)).hasSize(21).isEqualTo(ids(plain.eligibleInRange(upTo, range, 21)));
    }

    private static void insert(Object id, boolean subscribed) {
        mongo.database().getCollection(Collections.SUBSCRIBERS).insertOne(new Document("_id", id)
                .append("email", "u" + id + "@example.com").append("name", "U " + id).append("subscribed", subscribed));
    }

    private static List<String> ids(List<Subscriber> subscribers) {
        List<String> ids = new ArrayList<>();
        for (Subscriber s : subscribers) {
            ids.add(s.id().number() != null ? s.id().number().stripTrailingZeros().toPlainString() : s.id().text());
        }
        return ids;
    }
}
