package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoAddressClaims;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.store.MongoVerdictStore;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.UnsubscribeLinks;
import io.mailcast.testing.MongoFixture;
import io.mailcast.validation.CachedVerdict;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.validation.Verdict;
import io.mailcast.validation.VerdictStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A campaign requiring "confirmed or checked-valid": confirmed subscribers and those with a fresh VALID verdict are
 * mailed; the others (no verdict, an expired one, INVALID, UNKNOWN) are recorded UNVERIFIED and counted as unverified,
 * apart from the skipped (same address as another subscriber).
 */
class ValidationCampaignTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private final MongoCampaignStore campaigns = new MongoCampaignStore(mongo.connection());
    private final MongoChunkStore chunks = new MongoChunkStore(mongo.connection());
    private final MongoDeliveryStore deliveries = new MongoDeliveryStore(mongo.connection());
    private final MongoSubscriberSource subscribers = new MongoSubscriberSource(mongo.connection());
    private final MongoVerdictStore verdicts = new MongoVerdictStore(mongo.connection());
    private final LocalChunkBoard board = new LocalChunkBoard();
    private final Set<String> mailed = ConcurrentHashMap.newKeySet();
    private final NodeStats stats = new NodeStats();
    private final Sender relay = (OutgoingMessage m) -> {
        mailed.add(m.to());
        return SendResult.sent("relay-a");
    };

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        List<Document> docs = new ArrayList<>();
        docs.add(person(1, "confirmed@example.com", Map.of("confirmed", true)));
        docs.add(person(2, "imported@example.com", Map.of("optin", 1)));
        docs.add(person(3, "valid@EXAMPLE.com", Map.of()));
        docs.add(person(4, "invalid@example.com", Map.of()));
        docs.add(person(5, "unknown@example.com", Map.of()));
        docs.add(person(6, "expired@example.com", Map.of()));
        docs.add(person(7, "never@example.com", Map.of("confirmed", false)));
        docs.add(person(8, "not an address", Map.of()));
        mongo.connection().database().getCollection(Collections.SUBSCRIBERS).insertMany(docs);
        Instant now = Instant.now();
        cache("valid@example.com", Verdict.VALID, now.plusSeconds(3600));
        cache("invalid@example.com", Verdict.INVALID, now.plusSeconds(3600));
        cache("unknown@example.com", Verdict.UNKNOWN, now.plusSeconds(3600));
        cache("expired@example.com", Verdict.VALID, now.minusSeconds(1));
    }

    private static Document person(long id, String email, Map<String, Object> attributes) {
        return new Document("_id", id).append("email", email).append("subscribed", true)
                .append("attributes", new Document(attributes));
    }

    private void cache(String address, Verdict verdict, Instant expiresAt) {
        Instant now = Instant.now();
        assertThat(verdicts.claim(address, "test", now, now.plusSeconds(60))).isInstanceOf(VerdictStore.Claim.Taken.class);
        verdicts.record(address, "test", new CachedVerdict(verdict, now.minusSeconds(10), "simulated", expiresAt));
    }

    private Engine engine(String node) {
        return engine(node, () -> false);
    }

    private Engine engine(String node, java.util.function.BooleanSupplier stopping) {
        return Engine.builder(node).stopping(stopping).board(board).stores(campaigns, chunks, deliveries).subscribers(subscribers)
                .suppressions(new MongoSuppressionList(mongo.connection()))
                .addressClaims(new MongoAddressClaims(mongo.connection())).verdicts(verdicts).sender(relay)
                .unsubscribeLinks(UnsubscribeLinks.NONE)
                .tuning(new DeliveryTuning(50, Duration.ofSeconds(30), 32, 100, Duration.ofMillis(50), 2,
                        Duration.ofMillis(5)))
                .failurePolicy(new FailurePolicy(1.0, 1_000)).sweepInterval(Duration.ofMillis(100)).stats(stats).build();
    }

    private Map<Long, Delivery> run(Campaign c) {
        Campaign campaign;
        try (Engine a = engine("node-a")) {
            a.start();
            campaign = new CampaignSubmitter(campaigns, chunks, board, subscribers, Clock.systemUTC()).submit(c).campaign();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);
        }
        List<SubscriberId> ids = new ArrayList<>();
        for (long i = 1; i <= 8; i++) {
            ids.add(SubscriberId.of(i));
        }
        return deliveries.recorded(campaign.id(), ids).values().stream()
                .collect(Collectors.toMap(d -> Long.parseLong(d.subscriberId().key()), Function.identity()));
    }

    @Test
    void unconfirmedRecipientsWithoutAValidVerdictAreRecordedUnverified() {
        var rule = new ValidationRequirement(List.of("confirmed", "optin"));
        Map<Long, Delivery> outcomes = run(aCampaign().id("checked").chunkSize(3).validation(rule).build());

        assertThat(campaigns.find("checked").orElseThrow().validation()).isEqualTo(rule);
        assertThat(outcomes).hasSize(8);
        assertThat(outcomes.get(1L).outcome()).isEqualTo(Outcome.SENT);
        assertThat(outcomes.get(2L).outcome()).isEqualTo(Outcome.SENT);
        assertThat(outcomes.get(3L).outcome()).isEqualTo(Outcome.SENT);
        for (long id : new long[] {4, 5, 6, 7}) {
            assertThat(outcomes.get(id).outcome()).as("subscriber " + id).isEqualTo(Outcome.UNVERIFIED);
        }
        assertThat(outcomes.get(4L).reason()).contains("INVALID");
        assertThat(outcomes.get(6L).reason()).contains("no fresh verdict");
        assertThat(outcomes.get(8L).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(mailed).containsExactlyInAnyOrder("confirmed@example.com", "imported@example.com", "valid@EXAMPLE.com");

        ChunkCounts total = chunks.load("checked").stream().map(ChunkRecord::counts)
                .reduce(ChunkCounts.ZERO, ChunkCounts::plus);
        assertThat(total).isEqualTo(new ChunkCounts(3, 0, 1, 0, 0, 0, 4));
        assertThat(total.unverified()).as("not folded into skipped").isEqualTo(4);
        assertThat(total.finished()).isEqualTo(8);
        assertThat(stats.unverified.sum()).as("the node's figure behind mailcast_messages_unverified_total").isEqualTo(4);
        assertThat(stats.skipped.sum()).isZero();
        assertThat(campaigns.find("checked").orElseThrow().state()).isEqualTo(CampaignState.COMPLETED);
        assertThat(deliveries.count("checked")).isEqualTo(total);
    }

    @Test
    void inWaitModeRecipientsWithoutAVerdictWaitAcrossAHandBackAndAreNeverLostNorMailedUnverified() {
        Instant deadline = Instant.now().plusSeconds(10).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        var rule = new ValidationRequirement(List.of("confirmed", "optin"), ValidationRequirement.Unverified.WAIT, deadline);
        Campaign campaign = aCampaign().id("waiting").chunkSize(3).validation(rule).build();
        var stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Engine a = engine("node-a", stopping::get);
        a.start();
        new CampaignSubmitter(campaigns, chunks, board, subscribers, Clock.systemUTC()).submit(campaign);
        // Confirmed, checked-valid, INVALID, UNKNOWN and malformed are settled at once; 6 and 7 have no verdict yet.
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded("waiting").size() == 6);
        assertThat(recorded("waiting")).doesNotContainKeys(6L, 7L);
        assertThat(campaigns.find("waiting").orElseThrow().validation()).isEqualTo(rule);

        stopping.set(true);
        try {
            assertThat(a.stop(Duration.ofSeconds(5))).as("chunks handed back").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        a.close();
        assertThat(recorded("waiting")).as("nothing recorded for the waiting recipients").doesNotContainKeys(6L, 7L);
        cache("never@example.com", Verdict.VALID, Instant.now().plusSeconds(3600));

        try (Engine b = engine("node-b")) {
            b.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> campaigns.find("waiting").orElseThrow().state() == CampaignState.COMPLETED);
        }
        Map<Long, Delivery> outcomes = recorded("waiting");
        assertThat(outcomes).hasSize(8);
        assertThat(outcomes.get(7L).outcome()).as("its verdict came while waiting").isEqualTo(Outcome.SENT);
        assertThat(outcomes.get(6L).outcome()).isEqualTo(Outcome.UNVERIFIED);
        assertThat(outcomes.get(6L).reason()).contains("no verdict by the deadline");
        assertThat(outcomes.get(6L).at()).isAfterOrEqualTo(deadline);
        assertThat(outcomes.get(4L).outcome()).isEqualTo(Outcome.UNVERIFIED);
        assertThat(mailed).containsExactlyInAnyOrder("confirmed@example.com", "imported@example.com",
                "valid@EXAMPLE.com", "never@example.com");
        assertThat(deliveries.count("waiting")).isEqualTo(new ChunkCounts(4, 0, 1, 0, 0, 0, 3));
    }

    private Map<Long, Delivery> recorded(String campaignId) {
        List<SubscriberId> ids = new ArrayList<>();
        for (long i = 1; i <= 8; i++) {
            ids.add(SubscriberId.of(i));
        }
        return deliveries.recorded(campaignId, ids).values().stream()
                .collect(Collectors.toMap(d -> Long.parseLong(d.subscriberId().key()), Function.identity()));
    }

    @Test
    void aCampaignWithoutTheRuleMailsEveryone() {
        Map<Long, Delivery> outcomes = run(aCampaign().id("plain").chunkSize(3).build());

        assertThat(campaigns.find("plain").orElseThrow().validation()).isNull();
        assertThat(outcomes.values()).extracting(Delivery::outcome).doesNotContain(Outcome.UNVERIFIED);
        assertThat(mailed).hasSize(7);
    }
}
