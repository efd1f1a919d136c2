package io.mailcast.node;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.store.MongoDeliveryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several members in one JVM (Hazelcast test network) with a real MongoDB wire server. */
class ClusterCampaignTest {

    private final NodeCluster cluster = new NodeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void chunksAreSharedBetweenMembersAndEveryRecipientIsRecordedOnce() {
        long eligible = cluster.populate(4_500, 0.01);
        MailcastNode a = cluster.startNode(20, 100);
        MailcastNode b = cluster.startNode(20, 100);
        MailcastNode c = cluster.startNode(20, 100);

        Campaign campaign = cluster.submit("shared", 100);
        assertThat(campaign.eligible()).isEqualTo(eligible);
        awaitState(campaign.id(), CampaignState.COMPLETED, Duration.ofSeconds(60));

        ChunkCounts counts = new MongoDeliveryStore(cluster.mongo).count(campaign.id());
        assertThat(counts.finished()).isEqualTo(eligible);
        assertThat(counts.invalid()).isPositive();
        assertThat(counts.uncertain()).isZero();
        assertThat(cluster.deliveryDocuments(campaign.id())).isEqualTo(eligible);
        for (MailcastNode node : List.of(a, b, c)) {
            assertThat(node.stats().chunksCompleted.sum()).as("chunks completed by %s", node.nodeId()).isPositive();
        }
        org.bson.Document stored = cluster.mongo.database().getCollection("campaigns")
                .find(new org.bson.Document("_id", campaign.id())).first();
        assertThat(stored.getLong("sent")).isEqualTo(counts.sent());
        assertThat(stored.getLong("invalid")).isEqualTo(counts.invalid());
        // Three nodes marked the campaign once each, with the one kind they share.
        assertThat(cluster.campaigns().senders(campaign.id())).containsExactly("simulated");

        // Submitting the same id again changes nothing and sends nothing.
        long sentBefore = a.stats().sent.sum() + b.stats().sent.sum() + c.stats().sent.sum();
        Campaign again = cluster.submit("shared", 100);
        assertThat(again.state()).isEqualTo(CampaignState.COMPLETED);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                a.stats().sent.sum() + b.stats().sent.sum() + c.stats().sent.sum() == sentBefore);
        assertThat(cluster.deliveryDocuments(campaign.id())).isEqualTo(eligible);
    }

    @Test
    void chunksOfATerminatedMemberAreFinishedByTheOthers() {
        long eligible = cluster.populate(3_000, 0);
        cluster.startNode(150, 60);
        cluster.startNode(150, 60);
        MailcastNode victim = cluster.startNode(150, 60);

        Campaign campaign = cluster.submit("crash", 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> victim.stats().sent.sum() > 100);
        victim.hazelcast().getLifecycleService().terminate();

        awaitState(campaign.id(), CampaignState.COMPLETED, Duration.ofSeconds(90));
        assertThat(cluster.deliveryDocuments(campaign.id())).isEqualTo(eligible);
        List<ChunkRecord> chunks = new HazelcastChunkBoard(cluster.nodes.getFirst().hazelcast()).chunksOf(campaign.id());
        assertThat(chunks).hasSize(campaign.chunks());
        assertThat(chunks).anyMatch(c -> c.epoch() > 1).as("some chunk was reassigned");
    }

    @Test
    void pauseStopsSendingAndResumeFinishesWithoutDuplicates() {
        long eligible = cluster.populate(3_000, 0);
        cluster.startNode(100, 50);
        cluster.startNode(100, 50);

        Campaign campaign = cluster.submit("pause", 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.deliveryDocuments(campaign.id()) > 200);
        assertThat(cluster.campaigns().transition(campaign.id(), CampaignState.PAUSED, "test", Instant.now(),
                CampaignState.RUNNING)).isTrue();

        // Within a few seconds sends stop: the count holds still.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long before = cluster.deliveryDocuments(campaign.id());
            Thread.sleep(1_500);
            return cluster.deliveryDocuments(campaign.id()) == before;
        });
        long whilePaused = cluster.deliveryDocuments(campaign.id());
        assertThat(whilePaused).isLessThan(eligible);

        assertThat(cluster.campaigns().transition(campaign.id(), CampaignState.RUNNING, null, Instant.now(),
                CampaignState.PAUSED)).isTrue();
        awaitState(campaign.id(), CampaignState.COMPLETED, Duration.ofSeconds(60));
        ChunkCounts counts = new MongoDeliveryStore(cluster.mongo).count(campaign.id());
        assertThat(counts.sent()).isEqualTo(eligible);
        assertThat(counts.uncertain()).isZero();
    }

    @Test
    void gracefulStopHandsChunksBackWithNothingInDoubt() {
        long eligible = cluster.populate(3_000, 0);
        cluster.startNode(100, 50);
        MailcastNode leaving = cluster.startNode(100, 50);

        Campaign campaign = cluster.submit("graceful", 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> leaving.stats().sent.sum() > 100);
        leaving.stop();
        cluster.nodes.remove(leaving);

        awaitState(campaign.id(), CampaignState.COMPLETED, Duration.ofSeconds(60));
        ChunkCounts counts = new MongoDeliveryStore(cluster.mongo).count(campaign.id());
        assertThat(counts.sent()).isEqualTo(eligible);
        assertThat(counts.uncertain()).isZero();
        ChunkCounts reported = new HazelcastChunkBoard(cluster.nodes.getFirst().hazelcast()).chunksOf(campaign.id())
                .stream().map(ChunkRecord::counts).reduce(ChunkCounts.ZERO, ChunkCounts::plus);
        assertThat(reported.uncertain()).isZero();
        assertThat(reported.sent()).isEqualTo(eligible);
    }

    private void awaitState(String id, CampaignState state, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> cluster.state(id) == state);
    }
}
