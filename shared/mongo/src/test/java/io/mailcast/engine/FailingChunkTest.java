package io.mailcast.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.store.MongoAddressClaims;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chunk whose loading fails again and again (a subscriber document the node cannot read, a query the store refuses):
 * the node keeps trying it without flooding the log or spinning, and once the cause is gone the campaign completes
 * with everyone mailed exactly once.
 */
class FailingChunkTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final int RECIPIENTS = 200;
    private static final SubscriberId POISONED = SubscriberId.of(120);

    private final MongoCampaignStore campaigns = new MongoCampaignStore(mongo.connection());
    private final MongoDeliveryStore deliveries = new MongoDeliveryStore(mongo.connection());
    private final FailingSource subscribers = new FailingSource(new MongoSubscriberSource(mongo.connection()));
    private final Map<SubscriberId, AtomicInteger> mailed = new ConcurrentHashMap<>();
    private final Logger jobLog = (Logger) LoggerFactory.getLogger(ChunkJob.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    /** Refuses to load the range holding {@link #POISONED} while {@code failing}. */
    private static final class FailingSource implements SubscriberSource {
        final SubscriberSource real;
        final AtomicInteger refused = new AtomicInteger();
        volatile boolean failing = true;

        FailingSource(SubscriberSource real) {
            this.real = real;
        }

        @Override
        public void eligibleIds(Audience audience, Consumer<SubscriberId> consumer) {
            real.eligibleIds(audience, consumer);
        }

        @Override
        public List<Subscriber> firstEligible(Audience audience, int limit) {
            return real.firstEligible(audience, limit);
        }

        @Override
        public List<Subscriber> eligibleInRange(Audience audience, IdRange ids, int plannedHint) {
            if (failing && ids.from().compareTo(POISONED) <= 0 && POISONED.compareTo(ids.through()) <= 0) {
                refused.incrementAndGet();
                throw new IllegalStateException("cannot decode subscriber 120");
            }
            return real.eligibleInRange(audience, ids, plannedHint);
        }
    }

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        new MongoSubscriberWriter(mongo.connection().database()).insert(LongStream.rangeClosed(1, RECIPIENTS)
                .mapToObj(id -> new Subscriber(id, "reader" + id + "@example.org", "Reader " + id, true, Map.of()))
                .toList());
        jobLog.setLevel(Level.INFO);
        logs.start();
        jobLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        jobLog.detachAppender(logs);
        jobLog.setLevel(null);
    }

    @Test
    void aChunkFailingOverAndOverIsRetriedQuietlyAndCompletesOnceItCan() {
        try (Engine engine = engine()) {
            engine.start();
            Campaign campaign = new CampaignSubmitter(campaigns, new MongoChunkStore(mongo.connection()), board, subscribers,
                    Clock.systemUTC()).submit(aCampaign().id("poisoned").chunkSize(50).build()).campaign();

            await().atMost(Duration.ofSeconds(30)).until(() -> subscribers.refused.get() >= 4);
            List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).as("one warning for the same error, however often it recurs").hasSize(1);
            assertThat(warnings.getFirst()).contains("cannot decode subscriber 120");
            assertThat(logs.list.stream().filter(e -> e.getFormattedMessage().contains("handed back ("))).isEmpty();

            subscribers.failing = false;
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);
            Map<SubscriberId, Delivery> recorded = deliveries.recorded(campaign.id(),
                    LongStream.rangeClosed(1, RECIPIENTS).mapToObj(SubscriberId::of).toList());
            assertThat(recorded.values()).hasSize(RECIPIENTS).allMatch(d -> d.outcome() == Outcome.SENT);
            assertThat(mailed).hasSize(RECIPIENTS).allSatisfy((id, n) -> assertThat(n.get()).as("mails to %s", id).isOne());
        }
    }

    private final LocalChunkBoard board = new LocalChunkBoard();

    private Engine engine() {
        Sender relay = message -> {
            mailed.computeIfAbsent(message.subscriberId(), k -> new AtomicInteger()).incrementAndGet();
            return SendResult.sent("relay-a");
        };
        return Engine.builder("node-a").board(board)
                .stores(campaigns, new MongoChunkStore(mongo.connection()), deliveries).subscribers(subscribers)
                .suppressions(new MongoSuppressionList(mongo.connection()))
                .addressClaims(new MongoAddressClaims(mongo.connection())).sender(relay)
                .tuning(new DeliveryTuning(50, Duration.ofSeconds(30), 32, 100, Duration.ofMillis(50), 2,
                        Duration.ofMillis(5)))
                .failurePolicy(new FailurePolicy(1.0, 1_000)).sweepInterval(Duration.ofMillis(100)).build();
    }
}
