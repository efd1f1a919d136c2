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
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.UnsubscribeLinks;
import io.mailcast.testing.MongoFixture;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscribers sharing a mailbox, spread over chunks that two engines (two nodes) send at once: each mailbox gets one
 * message, and every other subscriber with that address is recorded SKIPPED naming the one that was mailed.
 */
class DuplicateAddressCampaignTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final int PEOPLE = 200;

    /** Counts what reached the relay, per exact recipient address. */
    private static final class CountingRelay implements Sender {
        final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

        @Override
        public SendResult send(OutgoingMessage message) {
            received.computeIfAbsent(message.to(), k -> new AtomicInteger()).incrementAndGet();
            return SendResult.sent("relay-a");
        }
    }

    private final MongoCampaignStore campaigns = new MongoCampaignStore(mongo.connection());
    private final MongoChunkStore chunks = new MongoChunkStore(mongo.connection());
    private final MongoDeliveryStore deliveries = new MongoDeliveryStore(mongo.connection());
    private final MongoSubscriberSource subscribers = new MongoSubscriberSource(mongo.connection());
    private final LocalChunkBoard board = new LocalChunkBoard();
    private final CountingRelay relay = new CountingRelay();
    private final List<SubscriberId> ids = new ArrayList<>();

    /**
     * Each person appears three times with ObjectId ids far apart (so in different chunks): as written, with the
     * domain in capitals, and with surrounding spaces. Every fifth also has a copy whose local part is in capitals, a
     * different mailbox by RFC 5321, which is mailed on its own.
     */
    @BeforeEach
    void fresh() {
        mongo.dropAll();
        var raw = mongo.connection().database().getCollection(Collections.SUBSCRIBERS);
        List<Document> docs = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            for (int p = 0; p < PEOPLE; p++) {
                String email = switch (copy) {
                    case 0 -> "person" + p + "@example.org";
                    case 1 -> "person" + p + "@EXAMPLE.ORG";
                    default -> "  person" + p + "@example.org ";
                };
                docs.add(new Document("_id", new ObjectId()).append("email", email).append("subscribed", true));
            }
        }
        for (int p = 0; p < PEOPLE; p += 5) {
            docs.add(new Document("_id", new ObjectId()).append("email", "PERSON" + p + "@example.org")
                    .append("subscribed", true));
        }
        raw.insertMany(docs);
        docs.forEach(d -> ids.add(SubscriberId.ofObjectId(d.getObjectId("_id").toHexString())));
    }

    private Engine engine(String node) {
        return Engine.builder(node).board(board).stores(campaigns, chunks, deliveries).subscribers(subscribers)
                .suppressions(new MongoSuppressionList(mongo.connection()))
                .addressClaims(new MongoAddressClaims(mongo.connection())).sender(relay)
                .unsubscribeLinks(UnsubscribeLinks.NONE)
                .tuning(new DeliveryTuning(50, Duration.ofSeconds(30), 32, 100, Duration.ofMillis(50), 2,
                        Duration.ofMillis(5)))
                .failurePolicy(new FailurePolicy(1.0, 1_000)).sweepInterval(Duration.ofMillis(100))
                // Both are alive: neither may take the other's chunks as orphans; one supervises.
                .membership(() -> Set.of("node-a", "node-b"), () -> node.equals("node-a")).build();
    }

    @Test
    void eachMailboxIsMailedOnceAndTheOtherSubscribersAreSkippedNamingTheOneMailed() {
        Campaign campaign;
        try (Engine a = engine("node-a"); Engine b = engine("node-b")) {
            a.start();
            b.start();
            campaign = new CampaignSubmitter(campaigns, chunks, board, subscribers, Clock.systemUTC())
                    .submit(aCampaign().id("dedup").chunkSize(25).build()).campaign();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);
        }

        int mailboxes = PEOPLE + PEOPLE / 5;
        Map<String, Integer> byMailbox = new ConcurrentHashMap<>();
        relay.received.forEach((to, n) -> byMailbox.merge(AddressNormalizer.normalize(to), n.get(), Integer::sum));
        assertThat(byMailbox).hasSize(mailboxes);
        assertThat(byMailbox.values()).as("messages per mailbox").containsOnly(1);

        Map<SubscriberId, Delivery> recorded = deliveries.recorded(campaign.id(), ids);
        assertThat(recorded).hasSize(ids.size());
        List<Delivery> skipped = recorded.values().stream().filter(d -> d.outcome() == Outcome.SKIPPED).toList();
        assertThat(skipped).hasSize(ids.size() - mailboxes);
        for (Delivery d : skipped) {
            String mailedKey = d.reason().replaceAll(".*subscriber (\\S+),.*", "$1");
            Delivery mailed = recorded.get(SubscriberId.parse(mailedKey));
            assertThat(mailed.outcome()).as(d.reason()).isEqualTo(Outcome.SENT);
            assertThat(AddressNormalizer.normalize(mailed.email())).isEqualTo(AddressNormalizer.normalize(d.email()));
        }
        ChunkCounts total = chunks.load(campaign.id()).stream().map(ChunkRecord::counts)
                .reduce(ChunkCounts.ZERO, ChunkCounts::plus);
        assertThat(total.skipped()).isEqualTo(ids.size() - mailboxes);
        assertThat(total.sent()).isEqualTo(mailboxes);
        assertThat(deliveries.count(campaign.id()).skipped()).isEqualTo(ids.size() - mailboxes);
    }
}
