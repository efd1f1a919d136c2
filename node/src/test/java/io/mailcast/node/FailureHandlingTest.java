package io.mailcast.node;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.FailedRetry;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDeliveryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FailureHandlingTest {

    private final NodeCluster cluster = new NodeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void aCampaignWhoseSendsAllFailPausesItselfAndSaysWhy() {
        cluster.populate(3_000, 0);
        cluster.startNode(5, 100, 1.0);
        Campaign campaign = cluster.submit("all-fail", 100);

        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(campaign.id()) == CampaignState.PAUSED);
        Campaign paused = cluster.campaigns().find(campaign.id()).orElseThrow();
        assertThat(paused.stateReason()).startsWith("paused automatically: 100% of").contains("limit 25%");
        assertThat(cluster.deliveryDocuments(campaign.id())).isLessThan(paused.eligible());
    }

    @Test
    void retryFailedResendsOnlyTheFailedRecipients() {
        long eligible = cluster.populate(3_000, 0);
        // 40% transient failures, 3 attempts each: about 6% end FAILED, below the pause threshold.
        MailcastNode node = cluster.startNode(5, 100, 0.4);
        Campaign campaign = cluster.submit("retry", 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);
        MongoDeliveryStore deliveries = new MongoDeliveryStore(cluster.mongo);
        ChunkCounts first = deliveries.count(campaign.id());
        assertThat(first.failed()).isPositive();
        long sentBefore = node.stats().sent.sum();

        // The simulator's failures are transient: nothing is skipped as permanent.
        FailedRetry.Retry retried = new FailedRetry(cluster.campaigns(), new MongoChunkStore(cluster.mongo),
                new HazelcastChunkBoard(node.hazelcast()), deliveries, Clock.systemUTC())
                .retry(cluster.campaigns().find(campaign.id()).orElseThrow(), false);
        assertThat(retried).isEqualTo(new FailedRetry.Retry((int) first.failed(), 0));
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);

        ChunkCounts second = deliveries.count(campaign.id());
        assertThat(second.finished()).isEqualTo(eligible);
        assertThat(second.failed()).isLessThan(first.failed());
        assertThat(second.sent()).isEqualTo(first.sent() + (first.failed() - second.failed()));
        // Only the failed ones were attempted again: new successes came from them alone.
        assertThat(node.stats().sent.sum() - sentBefore).isEqualTo(first.failed() - second.failed());
        assertThat(cluster.deliveryDocuments(campaign.id())).isEqualTo(eligible);
    }
}
