package io.mailcast.node;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkPlanner;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Failures the design promises to survive, each ending with every eligible recipient recorded exactly once. */
class CrashSafetyTest {

    private final NodeCluster cluster = new NodeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void wholeClusterRestartResumesFromTheStoreWithoutResendingRecordedRecipients() {
        long eligible = cluster.populate(3_000, 0);
        cluster.startNode(100, 60);
        cluster.startNode(100, 60);
        Campaign campaign = cluster.submit("restart", 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.deliveryDocuments(campaign.id()) > 500);

        cluster.crashAll();
        long recordedBefore = cluster.deliveryDocuments(campaign.id());
        assertThat(cluster.state(campaign.id())).isEqualTo(CampaignState.RUNNING);

        // New members: the board is empty; the supervisor restores unfinished chunks from the store.
        cluster.startNode(20, 60);
        cluster.startNode(20, 60);
        awaitCompleted(campaign.id());

        ChunkCounts counts = new MongoDeliveryStore(cluster.mongo).count(campaign.id());
        assertThat(counts.finished()).isEqualTo(eligible);
        assertThat(cluster.deliveryDocuments(campaign.id())).isEqualTo(eligible);
        // Only recipients in flight at the crash may repeat: at most the reservation step per chunk being worked.
        List<ChunkRecord> stored = new MongoChunkStore(cluster.mongo).load(campaign.id());
        long uncertain = stored.stream().mapToLong(c -> c.counts().uncertain()).sum();
        assertThat(uncertain).isLessThanOrEqualTo(eligible - recordedBefore);
        assertThat(stored).allMatch(c -> c.state() == ChunkState.DONE);
    }

    @Test
    void aHungMembersExpiredLeaseSendsItsChunkToOthers() throws Exception {
        long eligible = cluster.populate(1_500, 0);
        HazelcastInstance hung = cluster.plainMember();
        Campaign campaign = cluster.submit("hung", 100, hung);
        HazelcastChunkBoard board = new HazelcastChunkBoard(hung);
        String key = board.nextKey(Duration.ofSeconds(5)).orElseThrow();
        String hungId = hung.getCluster().getLocalMember().getUuid().toString();
        // Claimed in the name of a live member that will never renew: only the lease can free it.
        ChunkRecord claimed = board.claim(key, hungId, System.currentTimeMillis(), 3_000).orElseThrow();

        cluster.startNode(10, 100);
        cluster.startNode(10, 100);
        awaitCompleted(campaign.id());

        ChunkRecord after = board.get(key).orElseThrow();
        assertThat(after.state()).isEqualTo(ChunkState.DONE);
        assertThat(after.epoch()).isGreaterThan(claimed.epoch());
        assertThat(cluster.deliveryDocuments(campaign.id())).isEqualTo(eligible);
    }

    @Test
    void aChunkPolledByANodeThatDiedBeforeClaimingIsOfferedAgain() throws Exception {
        long eligible = cluster.populate(1_500, 0);
        HazelcastInstance member = cluster.plainMember();
        Campaign campaign = cluster.submit("lost-item", 100, member);
        // The poller vanishes with the item: the queue forgets it, only the map still says QUEUED.
        String lost = new HazelcastChunkBoard(member).nextKey(Duration.ofSeconds(5)).orElseThrow();

        cluster.startNode(10, 100);
        awaitCompleted(campaign.id());
        assertThat(new HazelcastChunkBoard(member).get(lost).orElseThrow().state()).isEqualTo(ChunkState.DONE);
        assertThat(cluster.deliveryDocuments(campaign.id())).isEqualTo(eligible);
    }

    @Test
    void aSubmitterThatDiedWhilePublishingIsCompletedBySupervision() {
        long eligible = cluster.populate(1_500, 0);
        cluster.startNode(10, 100);
        // Planned and stored, marked running, but only a third of the chunks reached the board.
        Campaign draft = NodeCluster.draft("half-published", 100);
        cluster.campaigns().insertIfAbsent(draft);
        ChunkPlanner planner = new ChunkPlanner(draft.id(), draft.chunkSize());
        new MongoSubscriberSource(cluster.mongo).eligibleIds(draft.audience(), planner);
        List<ChunkRecord> chunks = planner.finish().stream().map(r -> ChunkRecord.queued(r, System.currentTimeMillis())).toList();
        new MongoChunkStore(cluster.mongo).insertAll(chunks);
        cluster.campaigns().planned(draft.id(), planner.eligible(), chunks.size());
        cluster.campaigns().transition(draft.id(), CampaignState.RUNNING, null, Instant.now(), CampaignState.PLANNING);
        new HazelcastChunkBoard(cluster.nodes.getFirst().hazelcast()).publish(chunks.subList(0, chunks.size() / 3));

        awaitCompleted(draft.id());
        assertThat(cluster.deliveryDocuments(draft.id())).isEqualTo(eligible);
    }

    @Test
    void aChunkWhoseOwnerDiedBetweenTheBoardAndTheStoreIsRepairedBeforeCompletion() throws Exception {
        long eligible = cluster.populate(1_500, 0);
        HazelcastInstance member = cluster.plainMember();
        Campaign campaign = cluster.submit("half-done", 100, member);
        HazelcastChunkBoard board = new HazelcastChunkBoard(member);
        MongoChunkStore store = new MongoChunkStore(cluster.mongo);
        // An owner that sent its whole chunk, recorded the outcomes and the board's DONE, then died before the store's.
        String key = board.nextKey(Duration.ofSeconds(5)).orElseThrow();
        ChunkRecord held = board.claim(key, "gone", System.currentTimeMillis(), 60_000).orElseThrow();
        assertThat(store.claimed(held)).isPresent();
        var subscribers = new MongoSubscriberSource(cluster.mongo)
                .eligibleInRange(campaign.audience(), held.ids(), held.planned());
        new MongoDeliveryStore(cluster.mongo).record(subscribers.stream().map(s -> new Delivery(
                campaign.id(), s.id(), s.email(), Outcome.SENT, null, false, 1, "gone", "simulated",
                Instant.now())).toList());
        assertThat(board.complete(held, new ChunkCounts(subscribers.size(), 0, 0, 0, 0, 0))).isTrue();

        cluster.startNode(10, 100);
        awaitCompleted(campaign.id());

        ChunkRecord stored = store.load(campaign.id()).stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
        assertThat(stored.state()).isEqualTo(ChunkState.DONE);
        var progress = CampaignProgress.of(cluster.campaigns().find(campaign.id()).orElseThrow(),
                store.load(campaign.id()), Instant.now());
        assertThat(progress.counts().finished()).isEqualTo(eligible);
        assertThat(progress.chunksDone()).isEqualTo(campaign.chunks());
    }

    private void awaitCompleted(String id) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.state(id) == CampaignState.COMPLETED);
    }
}
