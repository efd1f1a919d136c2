package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.store.MongoAddressClaims;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.Ids;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine against a relay that drops some connections after the end of data (it kept the message, the sender cannot
 * know): ChunkJob's retry sends a second copy, and the delivery, the chunk counts and the campaign's status say so.
 */
class RelayDoubtTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final int RECIPIENTS = 200;

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        new MongoSubscriberWriter(mongo.connection().database()).insert(LongStream.rangeClosed(1, RECIPIENTS)
                .mapToObj(id -> new Subscriber(id, "reader" + id + "@example.org", "Reader " + id, true, Map.of()))
                .toList());
    }

    /**
     * Recipients whose id ends in 3 lose the connection after the dot on their first try, those ending in 7 on every
     * try; the relay keeps each message it got.
     */
    private static final class DroppingRelay implements Sender {
        final Map<Long, AtomicInteger> received = new ConcurrentHashMap<>();
        private final Map<Long, AtomicInteger> tries = new ConcurrentHashMap<>();

        @Override
        public SendResult send(OutgoingMessage message) {
            long id = message.subscriberId().number().longValueExact();
            int attempt = tries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (id % 10 == 7 || (id % 10 == 3 && attempt == 1)) {
                return SendResult.inDoubt("connection to relay failed: java.net.SocketException: Connection reset", "relay-a");
            }
            return SendResult.sent("relay-a");
        }
    }

    @Test
    void aResendAfterAConnectionLostAfterTheDotIsFlaggedAndCountedUncertain() {
        var campaigns = new MongoCampaignStore(mongo.connection());
        var chunks = new MongoChunkStore(mongo.connection());
        var deliveries = new MongoDeliveryStore(mongo.connection());
        var subscribers = new MongoSubscriberSource(mongo.connection());
        var board = new LocalChunkBoard();
        var relay = new DroppingRelay();
        var stats = new NodeStats();
        Campaign campaign;
        try (Engine engine = Engine.builder("node-a").board(board).stores(campaigns, chunks, deliveries)
                .subscribers(subscribers).suppressions(new MongoSuppressionList(mongo.connection()))
                .addressClaims(new MongoAddressClaims(mongo.connection())).sender(relay).stats(stats)
                .tuning(new DeliveryTuning(50, Duration.ofSeconds(30), 32, 100, Duration.ofMillis(50), 3,
                        Duration.ofMillis(5)))
                .failurePolicy(new FailurePolicy(1.0, 1_000)).sweepInterval(Duration.ofMillis(100)).build()) {
            engine.start();
            campaign = new CampaignSubmitter(campaigns, chunks, board, subscribers, Clock.systemUTC())
                    .submit(aCampaign().id("relay-drop").chunkSize(50).build()).campaign();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);
        }

        Map<SubscriberId, Delivery> recorded = deliveries.recorded(campaign.id(), LongStream.rangeClosed(1, RECIPIENTS).mapToObj(SubscriberId::of).toList());
        assertThat(recorded).hasSize(RECIPIENTS);
        for (long id = 1; id <= RECIPIENTS; id++) {
            Delivery d = recorded.get(SubscriberId.of(id));
            int copies = relay.received.get(id).get();
            assertThat(copies).as("nobody skipped").isPositive();
            if (copies > 1) {
                assertThat(d.uncertainCause()).as("recipient %d got %d copies", id, copies)
                        .isEqualTo(UncertainCause.RELAY_CONNECTION_LOST);
            }
            if (id % 10 == 7) {
                assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(d.uncertain()).as("failed, yet it may have arrived").isTrue();
                assertThat(d.reason()).contains("uncertain").contains("may have arrived");
            } else if (id % 10 == 3) {
                assertThat(d.outcome()).isEqualTo(Outcome.SENT);
                assertThat(d.attempts()).isEqualTo(2);
            } else {
                assertThat(d.uncertain()).as("recipient %d", id).isFalse();
            }
        }
        long duplicates = relay.received.values().stream().mapToLong(n -> n.get() - 1).sum();
        // 20 recipients resent once (ending in 3) and 20 tried three times, all in doubt (ending in 7).
        assertThat(duplicates).isEqualTo(20 + 20 * 2);
        List<ChunkRecord> stored = chunks.load(campaign.id());
        ChunkCounts total = stored.stream().map(ChunkRecord::counts).reduce(ChunkCounts.ZERO, ChunkCounts::plus);
        assertThat(total).isEqualTo(new ChunkCounts(RECIPIENTS - 20, 20, 0, 0, 0, 20 + 20 * 3));
        assertThat(total.uncertain()).as("duplicates never exceed uncertain").isGreaterThanOrEqualTo(duplicates);
        assertThat(stats.uncertain.sum()).isEqualTo(80);
        CampaignProgress status = CampaignProgress.of(campaigns.find(campaign.id()).orElseThrow(), stored, Instant.now())
                .withUncertainByCause(deliveries.uncertainByCause(campaign.id()));
        assertThat(status.counts().uncertain()).isEqualTo(80);
        assertThat(status.uncertainByCause()).containsExactlyInAnyOrderEntriesOf(Map.of(
                UncertainCause.NODE_DIED, 0L, UncertainCause.RELAY_CONNECTION_LOST, 40L));
    }
}
