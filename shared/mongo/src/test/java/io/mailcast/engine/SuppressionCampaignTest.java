package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
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
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.SignedUnsubscribeLinks;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.suppression.UnsubscribeSigner;
import io.mailcast.suppression.UnsubscribeToken;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A campaign over an audience part of which is on the suppression list: those recipients never reach the sender, are
 * recorded SUPPRESSED and counted; everyone else gets a message carrying a working unsubscribe link. Then retry-failed
 * leaves the relay's permanent refusals alone unless asked.
 */
class SuppressionCampaignTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final int RECIPIENTS = 300;
    /** Suppressed: stored in lower case, while the subscriber list spells the domain in capitals. */
    private static final LongPredicate SUPPRESSED = id -> id % 10 == 0;
    /** The relay refuses these for good (5xx) ... */
    private static final LongPredicate REFUSED = id -> id % 7 == 0;
    /** ... and these for now (4xx), on every try. */
    private static final LongPredicate DEFERRED = id -> id % 11 == 0 && id % 7 != 0;
    private static final UnsubscribeSigner SIGNER =
            new UnsubscribeSigner("campaign-test-secret-0123456789".getBytes(StandardCharsets.US_ASCII));
    private static final Pattern LINK = Pattern.compile("https://mail\\.example\\.com/unsubscribe\\?t=([A-Za-z0-9_-]+)");

    /** A relay that answers by subscriber id and remembers every message it was handed. */
    private static final class ScriptedRelay implements Sender {
        final List<OutgoingMessage> received = new CopyOnWriteArrayList<>();
        final Map<Long, AtomicInteger> tries = new ConcurrentHashMap<>();
        volatile boolean refusing = true;

        @Override
        public SendResult send(OutgoingMessage message) {
            received.add(message);
            long id = message.subscriberId().number().longValueExact();
            tries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (refusing && REFUSED.test(id)) {
                return SendResult.failed("550 5.1.1 no such user", false, "relay-a");
            }
            if (refusing && DEFERRED.test(id)) {
                return SendResult.failed("451 4.7.1 try again later", true, "relay-a");
            }
            return SendResult.sent("relay-a");
        }

        int tries(long id) {
            return tries.getOrDefault(id, new AtomicInteger()).get();
        }
    }

    private final MongoCampaignStore campaigns = new MongoCampaignStore(mongo.connection());
    private final MongoChunkStore chunks = new MongoChunkStore(mongo.connection());
    private final MongoDeliveryStore deliveries = new MongoDeliveryStore(mongo.connection());
    private final MongoSubscriberSource subscribers = new MongoSubscriberSource(mongo.connection());
    private final MongoSuppressionList suppressions = new MongoSuppressionList(mongo.connection());
    private final LocalChunkBoard board = new LocalChunkBoard();
    private final ScriptedRelay relay = new ScriptedRelay();

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        new MongoSubscriberWriter(mongo.connection().database()).insert(LongStream.rangeClosed(1, RECIPIENTS)
                .mapToObj(id -> new Subscriber(id, "Reader" + id + "@EXAMPLE.org", "Reader " + id, true, Map.of()))
                .toList());
        suppressions.addAll(LongStream.rangeClosed(1, RECIPIENTS).filter(SUPPRESSED)
                .mapToObj(id -> new Suppression("Reader" + id + "@example.org", SuppressionReason.UNSUBSCRIBED, "earlier",
                        Instant.now(), null))
                .toList());
    }

    @Test
    void suppressedRecipientsAreRecordedNeverSentAndCounted() {
        try (Engine engine = engine()) {
            engine.start();
            Campaign campaign = submit("suppressed");
            awaitCompleted(campaign);

            long suppressed = count(SUPPRESSED);
            Map<SubscriberId, Delivery> recorded = deliveries.recorded(campaign.id(), LongStream.rangeClosed(1, RECIPIENTS).mapToObj(SubscriberId::of).toList());
            assertThat(recorded).hasSize(RECIPIENTS);
            for (long id = 1; id <= RECIPIENTS; id++) {
                if (SUPPRESSED.test(id)) {
                    assertThat(recorded.get(SubscriberId.of(id)).outcome()).as("recipient %d", id).isEqualTo(Outcome.SUPPRESSED);
                    assertThat(relay.tries(id)).as("recipient %d reached the relay", id).isZero();
                } else {
                    assertThat(relay.tries(id)).as("recipient %d", id).isPositive();
                }
            }
            ChunkCounts total = chunks.load(campaign.id()).stream().map(ChunkRecord::counts)
                    .reduce(ChunkCounts.ZERO, ChunkCounts::plus);
            assertThat(total.suppressed()).isEqualTo(suppressed);
            assertThat(total.finished()).isEqualTo(RECIPIENTS);
            assertThat(deliveries.count(campaign.id()).suppressed()).isEqualTo(suppressed);
            assertThat(engine.stats().suppressed.sum()).isEqualTo(suppressed);
            CampaignProgress status = CampaignProgress.of(campaigns.find(campaign.id()).orElseThrow(),
                    chunks.load(campaign.id()), Instant.now());
            assertThat(status.toJson()).contains("\"suppressed\":" + suppressed);
            assertThat(status.remaining()).isZero();
        }
    }

    @Test
    void everyMessageCarriesItsRecipientsOwnUnsubscribeLink() {
        try (Engine engine = engine()) {
            engine.start();
            awaitCompleted(submit("links"));
        }
        assertThat(relay.received).isNotEmpty();
        for (OutgoingMessage m : relay.received) {
            Matcher inBody = LINK.matcher(m.text());
            assertThat(inBody.find()).as(m.text()).isTrue();
            assertThat(m.headers()).containsEntry(SignedUnsubscribeLinks.LIST_UNSUBSCRIBE, "<" + inBody.group() + ">")
                    .containsEntry(SignedUnsubscribeLinks.LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click");
            assertThat(SIGNER.verify(inBody.group(1))).contains(new UnsubscribeToken("links",
                    String.valueOf(m.subscriberId()), "Reader" + m.subscriberId() + "@example.org"));
        }
    }

    @Test
    void retryFailedSkipsPermanentFailuresUnlessAsked() {
        try (Engine engine = engine()) {
            engine.start();
            Campaign campaign = submit("retry");
            awaitCompleted(campaign);
            long refused = count(id -> REFUSED.test(id) && !SUPPRESSED.test(id));
            long deferred = count(id -> DEFERRED.test(id) && !SUPPRESSED.test(id));
            assertThat(deliveries.count(campaign.id()).failed()).isEqualTo(refused + deferred);
            relay.refusing = false;
            var retry = new FailedRetry(campaigns, chunks, board, deliveries, Clock.systemUTC());

            assertThat(retry.retry(campaigns.find(campaign.id()).orElseThrow(), false))
                    .isEqualTo(new FailedRetry.Retry((int) deferred, refused));
            awaitCompleted(campaign);
            assertThat(deliveries.count(campaign.id()).failed()).isEqualTo(refused);
            LongStream.rangeClosed(1, RECIPIENTS).filter(id -> REFUSED.test(id) && !SUPPRESSED.test(id))
                    .forEach(id -> assertThat(relay.tries(id)).as("refused recipient %d", id).isEqualTo(1));

            assertThat(retry.retry(campaigns.find(campaign.id()).orElseThrow(), true))
                    .isEqualTo(new FailedRetry.Retry((int) refused, 0));
            awaitCompleted(campaign);
            assertThat(deliveries.count(campaign.id()).failed()).isZero();
            assertThat(deliveries.count(campaign.id()).suppressed()).isEqualTo(count(SUPPRESSED));
        }
    }

    private Engine engine() {
        return Engine.builder("node-a").board(board).stores(campaigns, chunks, deliveries).subscribers(subscribers)
                .suppressions(suppressions).addressClaims(new MongoAddressClaims(mongo.connection())).sender(relay)
                .unsubscribeLinks(new SignedUnsubscribeLinks("https://mail.example.com", null, SIGNER))
                .tuning(new DeliveryTuning(50, Duration.ofSeconds(30), 32, 100, Duration.ofMillis(50), 2,
                        Duration.ofMillis(5)))
                .failurePolicy(new FailurePolicy(1.0, 1_000)).sweepInterval(Duration.ofMillis(100)).build();
    }

    private Campaign submit(String id) {
        return new CampaignSubmitter(campaigns, chunks, board, subscribers, Clock.systemUTC())
                .submit(aCampaign().id(id).chunkSize(50).textTemplate("Hi {{name}}. Leave: {{unsubscribeUrl}}").build())
                .campaign();
    }

    private void awaitCompleted(Campaign campaign) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);
    }

    private static long count(LongPredicate which) {
        return LongStream.rangeClosed(1, RECIPIENTS).filter(which).count();
    }
}
