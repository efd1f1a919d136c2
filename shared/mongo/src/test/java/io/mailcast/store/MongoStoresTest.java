package io.mailcast.store;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.Ids;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.testing.Campaigns;
import io.mailcast.testing.MongoFixture;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;

class MongoStoresTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final Instant AT = Instant.parse("2025-02-03T04:05:06.789Z");

    @BeforeEach
    void emptyStore() {
        mongo.dropAll();
    }

    @Nested
    class Deliveries {

        private final MongoDeliveryStore store = new MongoDeliveryStore(mongo.connection());

        private Delivery delivery(String campaign, long id, Outcome outcome, String reason) {
            return new Delivery(campaign, Ids.id(id), "s" + id + "@example.com", outcome, reason, false, 1, "node-a", null, AT);
        }

        @Test
        void recordingTheSameRecipientAgainKeepsTheFirstOutcome() {
            store.record(List.of(delivery("c1", 1, Outcome.SENT, null)));

            store.record(List.of(delivery("c1", 1, Outcome.FAILED, "550 no"), delivery("c1", 2, Outcome.INVALID, "bad")));

            Map<SubscriberId, Delivery> recorded = store.recorded("c1", Ids.ids(1, 2, 3));
            assertThat(recorded).containsOnlyKeys(Ids.id(1), Ids.id(2));
            assertThat(recorded.get(Ids.id(1)).outcome()).isEqualTo(Outcome.SENT);
            assertThat(recorded.get(Ids.id(1)).reason()).isNull();
            assertThat(recorded.get(Ids.id(2)).outcome()).isEqualTo(Outcome.INVALID);
            assertThat(store.count("c1")).isEqualTo(new ChunkCounts(1, 0, 1, 0, 0, 0));
        }

        @Test
        void anUncertainResendOfARecordedRecipientFlagsTheFirstRecord() {
            // The earlier owner wrote its outcome after a takeover; the new owner re-sent the recipient as uncertain.
            store.record(List.of(delivery("c1", 1, Outcome.SENT, null), delivery("c1", 2, Outcome.SENT, null)));
            Delivery resent = new Delivery("c1", Ids.id(1), "s1@example.com", Outcome.SENT, null, true, 1, "node-b", null, AT);

            store.record(List.of(resent, delivery("c1", 2, Outcome.SENT, null)));

            Map<SubscriberId, Delivery> recorded = store.recorded("c1", Ids.ids(1, 2));
            assertThat(recorded.get(Ids.id(1)).uncertain()).as("both owners may have mailed 1").isTrue();
            assertThat(recorded.get(Ids.id(1)).node()).as("the first record stays").isEqualTo("node-a");
            assertThat(recorded.get(Ids.id(2)).uncertain()).as("a certain repeat flags nothing").isFalse();
        }

        @Test
        void duplicatesInsideOneBatchKeepTheFirst() {
            store.record(List.of(delivery("c1", 1, Outcome.SENT, null), delivery("c1", 1, Outcome.FAILED, "x"),
                    delivery("c1", 2, Outcome.SENT, null)));

            assertThat(store.recorded("c1", Ids.ids(1, 2))).hasSize(2);
            assertThat(store.recorded("c1", Ids.ids(1)).get(Ids.id(1)).outcome()).isEqualTo(Outcome.SENT);
        }

        @Test
        void recordedRoundTripsEveryFieldById() {
            Delivery full = new Delivery("c1", Ids.id(42), "x@example.com", Outcome.FAILED, "451 try later",
                    UncertainCause.RELAY_CONNECTION_LOST, 3, "node-b", "smtp.example.com:25", AT, false);
            store.record(List.of(full));

            assertThat(store.recorded("c1", Ids.ids(42))).containsExactly(Map.entry(Ids.id(42), full));
            assertThat(store.count("c1")).isEqualTo(new ChunkCounts(0, 1, 0, 0, 0, 1));
            Document stored = mongo.connection().database().getCollection(Collections.DELIVERIES).find().first();
            assertThat(stored).containsEntry("uncertain", true).containsEntry("uncertainCause", "relay-connection-lost");
        }

        @Test
        void uncertainDeliveriesAreCountedByCausePerCampaign() {
            store.record(List.of(
                    uncertain("c1", 1, UncertainCause.NODE_DIED), uncertain("c1", 2, UncertainCause.NODE_DIED),
                    uncertain("c1", 3, UncertainCause.RELAY_CONNECTION_LOST), delivery("c1", 4, Outcome.SENT, null),
                    uncertain("c2", 1, UncertainCause.RELAY_CONNECTION_LOST)));

            assertThat(store.uncertainByCause("c1")).containsExactly(
                    Map.entry(UncertainCause.NODE_DIED, 2L), Map.entry(UncertainCause.RELAY_CONNECTION_LOST, 1L));
            assertThat(store.uncertainByCause("c3")).containsExactly(
                    Map.entry(UncertainCause.NODE_DIED, 0L), Map.entry(UncertainCause.RELAY_CONNECTION_LOST, 0L));
        }

        @Test
        void aDeliveryFlaggedBeforeCausesWereRecordedReadsAsACrashTakeover() {
            mongo.connection().database().getCollection(Collections.DELIVERIES).insertOne(new Document("_id", "c1:7")
                    .append("campaignId", "c1").append("subscriberId", 7L).append("email", "s7@example.com")
                    .append("outcome", "SENT").append("attempts", 1).append("node", "node-a")
                    .append("at", Date.from(AT)).append("uncertain", true));

            assertThat(store.recorded("c1", Ids.ids(7)).get(Ids.id(7)).uncertainCause()).isEqualTo(UncertainCause.NODE_DIED);
        }

        private Delivery uncertain(String campaign, long id, UncertainCause cause) {
            return new Delivery(campaign, Ids.id(id), "s" + id + "@example.com", Outcome.SENT, null, cause, 2, "node-a", null, AT, false);
        }

        @Test
        void recordedIsPerCampaignAndEmptyForNoIds() {
            store.record(List.of(delivery("c1", 1, Outcome.SENT, null), delivery("c2", 1, Outcome.FAILED, "x")));

            assertThat(store.recorded("c2", Ids.ids(1)).get(Ids.id(1)).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(store.recorded("c3", Ids.ids(1))).isEmpty();
            assertThat(store.recorded("c1", List.of())).isEmpty();
            store.record(List.of());
        }
    }

    @Nested
    class Chunks {

        private final MongoChunkStore store = new MongoChunkStore(mongo.connection());

        private ChunkRecord chunk(String campaign, int index) {
            return ChunkRecord.queued(new ChunkRange(campaign, index, Ids.closed(index * 100L + 1, index * 100L + 100), 100), 1_000);
        }

        private ChunkRecord loaded(ChunkRecord c) {
            return store.load(c.campaignId()).stream().filter(r -> r.index() == c.index()).findFirst().orElseThrow();
        }

        @Test
        void insertAllIsIdempotentAndLoadSortsByIndex() {
            List<ChunkRecord> chunks = List.of(chunk("c1", 2), chunk("c1", 0), chunk("c1", 1));
            store.insertAll(chunks);
            ChunkRecord held = chunk("c1", 0).claimedBy("node-a", 1, 1);
            assertThat(store.claimed(held)).isPresent();

            store.insertAll(chunks);
            store.insertAll(List.of(chunk("c2", 0)));

            List<ChunkRecord> loaded = store.load("c1");
            assertThat(loaded).extracting(ChunkRecord::index).containsExactly(0, 1, 2);
            assertThat(loaded.get(0).state()).as("a re-insert leaves stored chunks alone").isEqualTo(ChunkState.OWNED);
            assertThat(loaded.get(1)).usingRecursiveComparison().ignoringFields("queuedAt").isEqualTo(chunk("c1", 1));
            assertThat(loaded.get(1).reservedThrough()).isEqualTo(ChunkRecord.NOTHING_RESERVED);
        }

        @Test
        void aDoneChunkCannotBeClaimedAgainFromAStaleBoard() {
            ChunkRecord c = chunk("c1", 0);
            store.insertAll(List.of(c));
            ChunkRecord held = c.claimedBy("node-a", 1, 1);
            assertThat(store.claimed(held)).isPresent();
            assertThat(store.completed(held, new ChunkCounts(10, 0, 0, 0, 0, 3))).isTrue();

            ChunkRecord stale = c.claimedBy("node-b", 2, 1).requeued(3, false, c.counts()).claimedBy("node-b", 4, 1);
            assertThat(store.claimed(stale)).isEmpty();
            assertThat(loaded(c).counts().uncertain()).isEqualTo(3);
        }

        @Test
        void checkpointWithAnOldEpochIsFencedOutAfterANewerClaim() {
            ChunkRecord c = chunk("c1", 0);
            store.insertAll(List.of(c));
            ChunkRecord first = c.claimedBy("node-a", 1, 1);
            assertThat(store.claimed(first)).isPresent();
            assertThat(store.checkpoint(first, SubscriberId.of(50), new ChunkCounts(40, 0, 0, 0, 0, 0))).isTrue();
            ChunkRecord second = first.requeued(2, false, first.counts()).claimedBy("node-b", 3, 1);
            assertThat(store.claimed(second)).isPresent();

            assertThat(store.checkpoint(first, SubscriberId.of(80), new ChunkCounts(70, 0, 0, 0, 0, 0))).isFalse();
            assertThat(store.completed(first, new ChunkCounts(100, 0, 0, 0, 0, 0))).isFalse();
            assertThat(store.released(first, new ChunkCounts(100, 0, 0, 0, 0, 0))).isFalse();
            assertThat(store.claimed(first)).as("an older claim arriving late").isEmpty();

            ChunkRecord now = loaded(c);
            assertThat(now.owner()).isEqualTo("node-b");
            assertThat(now.epoch()).isEqualTo(2);
            assertThat(now.reservedThrough()).isEqualTo(Ids.id(50));
            assertThat(now.counts()).isEqualTo(new ChunkCounts(40, 0, 0, 0, 0, 0));
            assertThat(store.checkpoint(second, SubscriberId.of(80), new ChunkCounts(70, 0, 0, 0, 0, 1))).isTrue();
            assertThat(loaded(c).counts()).isEqualTo(new ChunkCounts(70, 0, 0, 0, 0, 1));
        }

        @Test
        void reservationNeverGoesDown() {
            ChunkRecord c = chunk("c1", 0);
            store.insertAll(List.of(c));
            ChunkRecord held = c.claimedBy("node-a", 1, 1);
            store.claimed(held);

            assertThat(store.checkpoint(held, SubscriberId.of(60), new ChunkCounts(10, 0, 0, 0, 0, 0))).isTrue();
            assertThat(store.checkpoint(held, SubscriberId.of(40), new ChunkCounts(20, 0, 0, 0, 0, 0))).isTrue();

            assertThat(loaded(c).reservedThrough()).isEqualTo(Ids.id(60));
            assertThat(loaded(c).counts().sent()).isEqualTo(20);
        }

        @Test
        void completedAndReleasedClearOwnerAndReservation() {
            ChunkRecord a = chunk("c1", 0);
            ChunkRecord b = chunk("c1", 1);
            store.insertAll(List.of(a, b));
            ChunkRecord heldA = a.claimedBy("node-a", 1, 1);
            ChunkRecord heldB = b.claimedBy("node-a", 1, 1);
            store.claimed(heldA);
            store.claimed(heldB);
            store.checkpoint(heldA, SubscriberId.of(150), ChunkCounts.ZERO);
            store.checkpoint(heldB, SubscriberId.of(250), ChunkCounts.ZERO);

            assertThat(store.completed(heldA, new ChunkCounts(99, 1, 0, 0, 0, 0))).isTrue();
            assertThat(store.released(heldB, new ChunkCounts(30, 0, 0, 0, 0, 0))).isTrue();

            ChunkRecord doneA = loaded(a);
            assertThat(doneA.state()).isEqualTo(ChunkState.DONE);
            assertThat(doneA.owner()).isNull();
            assertThat(doneA.reservedThrough()).isEqualTo(ChunkRecord.NOTHING_RESERVED);
            assertThat(doneA.counts()).isEqualTo(new ChunkCounts(99, 1, 0, 0, 0, 0));
            ChunkRecord backB = loaded(b);
            assertThat(backB.state()).isEqualTo(ChunkState.QUEUED);
            assertThat(backB.owner()).isNull();
            assertThat(backB.reservedThrough()).isEqualTo(ChunkRecord.NOTHING_RESERVED);
            assertThat(backB.counts()).isEqualTo(new ChunkCounts(30, 0, 0, 0, 0, 0));
        }

        @Test
        void deleteCampaignDropsOnlyThatCampaign() {
            store.insertAll(List.of(chunk("c1", 0), chunk("c1", 1), chunk("c2", 0)));

            store.deleteCampaign("c1");

            assertThat(store.load("c1")).isEmpty();
            assertThat(store.load("c2")).hasSize(1);
        }
    }

    @Nested
    class Campaigns {

        private final MongoCampaignStore store = new MongoCampaignStore(mongo.connection());

        @Test
        void insertIfAbsentStoresOnceAndReturnsTheExistingOnADuplicateId() {
            Campaign original = aCampaign().replyTo("r@example.com").build();

            assertThat(store.insertIfAbsent(original)).isEqualTo(original);
            Campaign again = store.insertIfAbsent(aCampaign().subject("Other").state(CampaignState.RUNNING).build());

            assertThat(again).isEqualTo(original);
            assertThat(store.find("c-test")).contains(original);
            assertThat(store.all()).containsExactly(original);
        }

        @Test
        void transitionOnlyFromAllowedStates() {
            store.insertIfAbsent(aCampaign().build());

            assertThat(store.transition("c-test", CampaignState.PAUSED, "ops", AT, CampaignState.RUNNING)).isFalse();
            assertThat(store.find("c-test").orElseThrow().state()).isEqualTo(CampaignState.PLANNING);

            assertThat(store.transition("c-test", CampaignState.RUNNING, null, AT, CampaignState.PLANNING)).isTrue();
            assertThat(store.transition("c-test", CampaignState.PAUSED, "paused by ops", AT.plusSeconds(1),
                    CampaignState.RUNNING)).isTrue();
            Campaign paused = store.find("c-test").orElseThrow();
            assertThat(paused.state()).isEqualTo(CampaignState.PAUSED);
            assertThat(paused.stateReason()).isEqualTo("paused by ops");
            assertThat(paused.finishedAt()).isNull();

            assertThat(store.transition("nope", CampaignState.RUNNING, null, AT, CampaignState.PLANNING)).isFalse();
            assertThat(store.find("nope")).isEmpty();
        }

        @Test
        void startedAtIsSetOnceAndFinishedAtOnAFinalState() {
            store.insertIfAbsent(aCampaign().build());
            Instant resumed = AT.plusSeconds(60);
            Instant cancelled = AT.plusSeconds(120);

            store.transition("c-test", CampaignState.RUNNING, null, AT, CampaignState.PLANNING);
            store.transition("c-test", CampaignState.PAUSED, "ops", AT.plusSeconds(30), CampaignState.RUNNING);
            assertThat(store.transition("c-test", CampaignState.RUNNING, null, resumed, CampaignState.PAUSED)).isTrue();

            Campaign running = store.find("c-test").orElseThrow();
            assertThat(running.startedAt()).isEqualTo(AT);
            assertThat(running.stateReason()).isNull();

            assertThat(store.transition("c-test", CampaignState.CANCELLED, "by ops", cancelled,
                    CampaignState.RUNNING, CampaignState.PAUSED)).isTrue();
            Campaign done = store.find("c-test").orElseThrow();
            assertThat(done.state()).isEqualTo(CampaignState.CANCELLED);
            assertThat(done.finishedAt()).isEqualTo(cancelled);
            assertThat(done.startedAt()).isEqualTo(AT);
            assertThat(store.transition("c-test", CampaignState.RUNNING, null, cancelled, CampaignState.PAUSED)).isFalse();
        }

        @Test
        void plannedAndInStates() {
            store.insertIfAbsent(aCampaign().id("a").createdAt(AT.plusSeconds(2)).build());
            store.insertIfAbsent(aCampaign().id("b").createdAt(AT.plusSeconds(1)).build());
            store.transition("b", CampaignState.RUNNING, null, AT, CampaignState.PLANNING);

            store.planned("a", 12_345_678_901L, 42);

            Campaign a = store.find("a").orElseThrow();
            assertThat(a.eligible()).isEqualTo(12_345_678_901L);
            assertThat(a.chunks()).isEqualTo(42);
            assertThat(store.inStates(CampaignState.RUNNING)).extracting(Campaign::id).containsExactly("b");
            assertThat(store.inStates(CampaignState.RUNNING, CampaignState.PLANNING)).extracting(Campaign::id)
                    .containsExactlyInAnyOrder("a", "b");
            assertThat(store.all()).extracting(Campaign::id).as("oldest first").containsExactly("b", "a");
        }
    }

    @Nested
    class Subscribers {

        private final MongoSubscriberSource source = new MongoSubscriberSource(mongo.connection());
        private final MongoSubscriberWriter writer = new MongoSubscriberWriter(mongo.connection().database());

        private Subscriber subscriber(long id, boolean subscribed, String city) {
            return new Subscriber(id, "s" + id + "@example.com", "Name " + id, subscribed, Map.of("city", city));
        }

        private List<Long> ids(List<Subscriber> subscribers) {
            return subscribers.stream().map(s -> s.id().number().longValueExact()).toList();
        }

        /** Ids 1..60 inserted out of order; every third unsubscribed; ids divisible by 5 live in Lyon. */
        private void denseList() {
            List<Subscriber> batch = new ArrayList<>();
            for (long id = 60; id >= 1; id--) {
                batch.add(subscriber(id, id % 3 != 0, id % 5 == 0 ? "Lyon" : "Berlin"));
            }
            assertThat(writer.insert(batch)).isEqualTo(60);
        }

        @Test
        void runsAgainstTheEmbeddedServer() {
            assertThat(EmbeddedMongo.isEmbeddedServer(mongo.connection().database())).isTrue();
        }

        @Test
        void denseRangeReturnsOnlyAudienceMatchesInIdOrder() {
            denseList();

            List<Subscriber> found = source.eligibleInRange(Audience.SUBSCRIBED, Ids.closed(10, 20), 7);

            assertThat(ids(found)).containsExactly(10L, 11L, 13L, 14L, 16L, 17L, 19L, 20L);
            Subscriber first = found.getFirst();
            assertThat(first.email()).isEqualTo("s10@example.com");
            assertThat(first.name()).isEqualTo("Name 10");
            assertThat(first.subscribed()).isTrue();
            assertThat(first.attributes()).containsEntry("city", "Lyon");
        }

        @Test
        void attributeFiltersApply() {
            denseList();
            Audience lyon = new Audience("{\"subscribed\": true, \"attributes.city\": \"Lyon\"}");

            assertThat(ids(source.eligibleInRange(lyon, Ids.closed(1, 60), -1))).containsExactly(5L, 10L, 20L, 25L, 35L, 40L, 50L, 55L);
            assertThat(ids(source.eligibleInRange(new Audience("{\"_id\": {\"$gt\": 50}, \"subscribed\": false}"), Ids.closed(1, 60), -1)))
                    .containsExactly(51L, 54L, 57L, 60L);
        }

        @Test
        void sparseRangeTooWideForALookupReturnsOnlyAudienceMatchesInIdOrder() {
            writer.insert(List.of(subscriber(90_000, true, "Lyon"), subscriber(1, true, "Lyon"),
                    subscriber(45_000, false, "Lyon"), subscriber(30_000, true, "Lyon"), subscriber(60_000, true, "Berlin"),
                    subscriber(200_000, true, "Lyon")));

            assertThat(ids(source.eligibleInRange(Audience.SUBSCRIBED, Ids.closed(1, 90_000), 4)))
                    .containsExactly(1L, 30_000L, 60_000L, 90_000L);
            assertThat(ids(source.eligibleInRange(new Audience("{\"subscribed\": true, \"attributes.city\": \"Lyon\"}"),
                    Ids.closed(2, 150_000), -1))).containsExactly(30_000L, 90_000L);
        }

        @Test
        void malformedDocumentsComeBackWithAnEmptyAddressInsteadOfFailing() {
            var raw = mongo.connection().database().getCollection(Collections.SUBSCRIBERS);
            raw.insertOne(new Document("_id", 5L).append("email", 42).append("name", 7).append("subscribed", true)
                    .append("attributes", "not a document"));
            raw.insertOne(new Document("_id", 6L).append("subscribed", true));
            raw.insertOne(new Document("_id", 7L).append("email", "ok@example.com").append("name", "Ok")
                    .append("subscribed", true).append("attributes", new Document("city", "Lyon")));
            raw.insertOne(new Document("_id", 50_000L).append("email", null).append("subscribed", true));

            for (long[] range : new long[][]{{1, 10}, {1, 100_000}}) {
                List<Subscriber> found = source.eligibleInRange(Audience.SUBSCRIBED, Ids.closed(range[0], range[1]), -1);

                assertThat(ids(found)).as("range %s", range[1]).containsSubsequence(5L, 6L, 7L);
                Subscriber five = found.get(0);
                assertThat(five.email()).isEmpty();
                assertThat(five.name()).isNull();
                assertThat(five.attributes()).isEmpty();
                assertThat(found.get(1).email()).isEmpty();
                assertThat(found.get(1).name()).isNull();
                assertThat(found.get(2).email()).isEqualTo("ok@example.com");
                assertThat(found.get(2).attributes()).containsEntry("city", "Lyon");
            }
            assertThat(source.eligibleInRange(Audience.SUBSCRIBED, Ids.closed(1, 100_000), -1).getLast().email()).isEmpty();
        }

        @Test
        void eligibleIdsStreamsAscending() {
            denseList();
            writer.insert(List.of(subscriber(1_000_000, true, "Lyon"), subscriber(500_000, false, "Lyon")));
            List<Long> ids = new ArrayList<>();

            source.eligibleIds(Audience.SUBSCRIBED, id -> ids.add(id.number().longValueExact()));

            assertThat(ids).hasSize(41).isSorted().doesNotHaveDuplicates();
            assertThat(ids).doesNotContain(3L, 60L, 500_000L).endsWith(59L, 1_000_000L).startsWith(1L, 2L, 4L);
        }

        @Test
        void writerLeavesExistingSubscribersUntouched() {
            denseList();

            writer.insert(List.of(new Subscriber(1, "changed@example.com", "X", false, Map.of()),
                    subscriber(61, true, "Lyon")));

            assertThat(source.eligibleInRange(Audience.SUBSCRIBED, Ids.closed(1, 1), 1).getFirst().email()).isEqualTo("s1@example.com");
            assertThat(writer.count()).isEqualTo(61);
        }

        /** insert() returns "how many were new"; a re-run over existing ids must not count them. */
        @Test
        void writerCountsOnlyNewSubscribersWhenSomeExist() {
            denseList();

            int inserted = writer.insert(List.of(subscriber(1, true, "Lyon"), subscriber(2, true, "Lyon"),
                    subscriber(61, true, "Lyon")));

            assertThat(inserted).isEqualTo(1);
        }
    }
}
