package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkPlanner;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.testing.MongoFixture;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Subscriber collections as applications write them: ObjectId ids by default, and numbers, strings, dates, booleans
 * and UUIDs, mixed in one collection. Planning and chunk loading must reach every eligible subscriber exactly once.
 */
class SubscriberIdTypesTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private MongoCollection<Document> raw;
    private final MongoSubscriberSource source = new MongoSubscriberSource(mongo.connection());
    private final Set<SubscriberId> eligible = new HashSet<>();

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        raw = mongo.connection().database().getCollection(Collections.SUBSCRIBERS);
    }

    private void insert(Object id, boolean subscribed) {
        raw.insertOne(new Document("_id", id).append("email", "x" + raw.countDocuments() + "@example.com")
                .append("subscribed", subscribed));
        if (subscribed) {
            eligible.add(BsonIds.fromBson(id));
        }
    }

    /** ObjectIds as a driver makes them, plus every other kind, some unsubscribed. */
    private void mixedCollection() {
        for (int i = 0; i < 40; i++) {
            insert(new ObjectId(), i % 4 != 0);
        }
        for (int i = 0; i < 12; i++) {
            insert(i * 7, i % 3 != 0);
            insert((long) i * 7 + 3, true);
        }
        insert(3.5, true);
        insert(-2.25, true);
        insert(new Decimal128(new BigDecimal("1000000000000000000000.5")), true);
        for (String s : List.of("10", "9", "alice", "Bob", "zoë", "\uD83D\uDE00", "")) {
            insert(s, true);
        }
        insert(new Date(0), true);
        insert(new Date(-86_400_000L), true);
        insert(new Date(1_800_000_000_000L), false);
        insert(true, true);
        insert(false, true);
        insert(new Binary((byte) 4, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}), true);
        insert(new Binary((byte) 4, new byte[16]), true);
    }

    private List<ChunkRange> plan(int chunkSize) {
        ChunkPlanner planner = new ChunkPlanner("c", chunkSize);
        source.eligibleIds(Audience.SUBSCRIBED, planner);
        return planner.finish();
    }

    @Test
    void everyEligibleSubscriberOfAMixedCollectionIsInExactlyOneChunk() {
        mixedCollection();

        for (int chunkSize : List.of(1, 2, 3, 7, 50, 1000)) {
            List<ChunkRange> chunks = plan(chunkSize);
            List<SubscriberId> loaded = new ArrayList<>();
            for (ChunkRange c : chunks) {
                List<Subscriber> inChunk = source.eligibleInRange(Audience.SUBSCRIBED, c.ids(), c.planned());
                assertThat(inChunk).as("chunk %s of size %d", c.ids(), chunkSize).hasSize(c.planned());
                inChunk.forEach(s -> loaded.add(s.id()));
            }
            assertThat(loaded).as("chunk size %d", chunkSize).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(eligible);
        }
    }

    @Test
    void chunksNeverMixKindsOfIds() {
        mixedCollection();

        for (ChunkRange c : plan(25)) {
            assertThat(c.ids().from().kind()).isEqualTo(c.ids().through().kind());
        }
        assertThat(plan(1_000)).extracting(c -> c.ids().from().kind()).containsExactly(SubscriberId.Kind.values());
    }

    /** A subscriber added after planning between two chunks of ObjectIds still falls into one of them. */
    @Test
    void anObjectIdInsertedAfterPlanningBetweenTwoChunksIsSentWithTheLaterOne() {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(new ObjectId(new Date(1_700_000_000_000L), i * 2));
            insert(ids.getLast(), true);
        }
        List<ChunkRange> chunks = plan(5);
        ObjectId between = new ObjectId(new Date(1_700_000_000_000L), 9);
        insert(between, true);

        List<Subscriber> second = source.eligibleInRange(Audience.SUBSCRIBED, chunks.get(1).ids(), 5);

        assertThat(second).extracting(Subscriber::id).contains(SubscriberId.ofObjectId(between.toHexString()));
        assertThat(source.eligibleInRange(Audience.SUBSCRIBED, chunks.get(0).ids(), 5)).hasSize(5);
    }

    @Test
    void aChunkIsOneRangeQueryOnIdInItsNativeType() {
        ObjectId a = new ObjectId("65f000000000000000000001");
        ObjectId b = new ObjectId("65f000000000000000000009");
        IdRange range = IdRange.after(SubscriberId.ofObjectId(a.toHexString()), SubscriberId.ofObjectId(b.toHexString()));

        String filter = MongoSubscriberSource.rangeFilter(new Document("subscribed", true), range).toBsonDocument().toJson();

        assertThat(filter).isEqualTo("{\"_id\": {\"$gt\": {\"$oid\": \"" + a.toHexString() + "\"}, \"$lte\": {\"$oid\": \""
                + b.toHexString() + "\"}}, \"subscribed\": true}");
    }

    @Test
    void anIdMailcastCannotPlanOverIsRefusedNamingTheIdAndWhatToDo() {
        insert(1, true);
        raw.insertOne(new Document("_id", new Document("tenant", 1).append("user", 2)).append("subscribed", true));

        assertThatThrownBy(() -> plan(10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("_id").hasMessageContaining("tenant")
                .hasMessageContaining("ObjectIds, numbers, strings, dates, booleans or binary");
    }

    @Test
    void deliveriesAreKeyedByIdOfAnyKind() {
        MongoDeliveryStore store = new MongoDeliveryStore(mongo.connection());
        List<SubscriberId> ids = List.of(SubscriberId.ofObjectId(new ObjectId().toHexString()), SubscriberId.ofString("42"),
                SubscriberId.of(42), SubscriberId.ofDouble(3.5), SubscriberId.ofDate(0),
                SubscriberId.ofBinary(4, new byte[16]));
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        List<Delivery> outcomes = ids.stream().map(id -> new Delivery("c", id, id.text() + "@example.com", Outcome.FAILED,
                "550 no", null, 1, "node-a", null, at)).toList();

        store.record(outcomes);

        assertThat(store.recorded("c", ids)).hasSize(ids.size());
        assertThat(store.recorded("c", List.of(SubscriberId.ofString("42"))).get(SubscriberId.ofString("42")).email())
                .as("the string 42 and the number 42 are two subscribers").isEqualTo("42@example.com");
        assertThat(store.failed("c")).containsExactlyElementsOf(ids.stream().sorted().toList());
        store.forget("c", List.of(SubscriberId.of(42)));
        assertThat(store.recorded("c", ids)).hasSize(ids.size() - 1).doesNotContainKey(SubscriberId.of(42));
    }

    @Test
    void chunkRangesAndReservationsRoundTripAndReservationsNeverGoDown() {
        MongoChunkStore store = new MongoChunkStore(mongo.connection());
        SubscriberId first = SubscriberId.ofObjectId("65f000000000000000000001");
        SubscriberId middle = SubscriberId.ofObjectId("65f000000000000000000005");
        SubscriberId last = SubscriberId.ofObjectId("65f000000000000000000009");
        ChunkRecord chunk = ChunkRecord.queued(new ChunkRange("c", 0, IdRange.after(first, last), 3), 0);
        store.insertAll(List.of(chunk));
        ChunkRecord held = chunk.claimedBy("node-a", 1, 1);
        store.claimed(held);

        store.checkpoint(held, middle, ChunkCounts.ZERO);
        store.checkpoint(held, first, ChunkCounts.ZERO);

        ChunkRecord loaded = store.load("c").getFirst();
        assertThat(loaded.ids()).isEqualTo(IdRange.after(first, last));
        assertThat(loaded.reservedThrough()).isEqualTo(middle);
        assertThat(store.released(held, ChunkCounts.ZERO)).isTrue();
        assertThat(store.load("c").getFirst().reservedThrough()).isEqualTo(ChunkRecord.NOTHING_RESERVED);
    }
}
