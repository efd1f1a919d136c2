package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.LocalChunkBoard;
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
import io.mailcast.suppression.UnsubscribeLinks;
import io.mailcast.testing.MongoFixture;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.mailcast.testing.Campaigns.aCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A campaign whose recipients complain (or bounce for good) past the limit pauses itself, saying why. */
class ReactionPauseTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private final MongoCampaignStore campaigns = new MongoCampaignStore(mongo.connection());
    private final MongoChunkStore chunks = new MongoChunkStore(mongo.connection());
    private final LocalChunkBoard board = new LocalChunkBoard();
    private final AtomicLong sent = new AtomicLong();

    /** A slow relay, so the campaign is still running when the reports arrive. */
    private final Sender relay = new Sender() {
        @Override
        public SendResult send(OutgoingMessage message) throws InterruptedException {
            Thread.sleep(100);
            sent.incrementAndGet();
            return SendResult.sent("relay-a");
        }
    };

    @BeforeEach
    void subscribers() {
        mongo.dropAll();
        List<Document> docs = new ArrayList<>();
        for (int i = 1; i <= 5_000; i++) {
            docs.add(new Document("_id", i).append("email", "user" + i + "@example.org").append("subscribed", true));
        }
        mongo.connection().database().getCollection(Collections.SUBSCRIBERS).insertMany(docs);
    }

    private Engine engine() {
        return Engine.builder("node-a").board(board)
                .stores(campaigns, chunks, new MongoDeliveryStore(mongo.connection()))
                .subscribers(new MongoSubscriberSource(mongo.connection()))
                .suppressions(new MongoSuppressionList(mongo.connection()))
                .addressClaims(new MongoAddressClaims(mongo.connection())).sender(relay)
                .unsubscribeLinks(UnsubscribeLinks.NONE)
                .tuning(new DeliveryTuning(20, Duration.ofSeconds(30), 32, 100, Duration.ofMillis(50), 2,
                        Duration.ofMillis(5)))
                .reactionPolicy(new ReactionPolicy(0.05, 0.003, 200))
                .sweepInterval(Duration.ofMillis(100)).build();
    }

    @Test
    void complaintsPastTheLimitPauseTheCampaignWithTheReason() {
        try (Engine engine = engine()) {
            engine.start();
            Campaign campaign = new CampaignSubmitter(campaigns, chunks, board,
                    new MongoSubscriberSource(mongo.connection()), Clock.systemUTC())
                    .submit(aCampaign().id("complained").chunkSize(100).build()).campaign();
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= 600);
            // One complaint for several hundred sent is within 0.3 %: it keeps running.
            mongo.connection().database().getCollection(Collections.CAMPAIGNS)
                    .updateOne(new Document("_id", campaign.id()), new Document("$inc", new Document("complaints", 1)));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.RUNNING);

            mongo.connection().database().getCollection(Collections.CAMPAIGNS)
                    .updateOne(new Document("_id", campaign.id()), new Document("$inc", new Document("complaints", 9)));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.PAUSED);
            Campaign paused = campaigns.find(campaign.id()).orElseThrow();
            assertThat(paused.stateReason()).startsWith("paused automatically: 10 complaints for")
                    .contains("limit 0.30%");
            // Sends under way finish; then nothing more goes out.
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long now = sent.get();
                boolean still = now == last[0];
                last[0] = now;
                return still;
            });
            assertThat(sent.get()).isLessThan(5_000);
            assertThat(campaigns.reactions(campaign.id()).complaints()).isEqualTo(10);
        }
    }
}
