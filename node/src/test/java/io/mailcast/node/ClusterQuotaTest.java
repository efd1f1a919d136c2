package io.mailcast.node;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.quota.QuotaWindow;
import io.mailcast.sender.relay.QuotaAllowance;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoQuotaLedger;
import io.mailcast.testing.RunningClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Relay quotas hold for the cluster: counted in MongoDB, not per node, so no join, crash, graceful stop or restart of
 * the whole cluster lets the relay get more than its hourly or daily cap. Nodes run on Hazelcast's test network and
 * one embedded MongoDB; the relay counts what it really receives, per window of a clock that runs from 22:00 UTC and
 * that the test moves into the next hour and the next day.
 */
class ClusterQuotaTest {

    private static final String RELAY = "capped";
    private static final long PER_HOUR = 150;
    private static final long PER_DAY = 250;
    private static final Instant START = Instant.parse("2026-12-02T22:00:00Z");
    private static final QuotaWindow HOUR_1 = QuotaWindow.containing(QuotaWindow.Kind.HOUR, START);
    private static final QuotaWindow HOUR_2 = QuotaWindow.containing(QuotaWindow.Kind.HOUR, HOUR_1.endsAt());
    private static final QuotaWindow DAY_1 = QuotaWindow.containing(QuotaWindow.Kind.DAY, START);
    private static final QuotaWindow DAY_2 = QuotaWindow.containing(QuotaWindow.Kind.DAY, DAY_1.endsAt());

    private final NodeCluster cluster = new NodeCluster();
    private final RunningClock relayClock = new RunningClock(START);
    private final CountingEndpoint relay = new CountingEndpoint();
    // 30 messages a second for the cluster, so the hour's cap takes seconds to use up and the churn happens meanwhile.
    private final RelaySet relays = RelaySet.of(RelayConfig.of(RELAY, relay).withRate(30).withQuotas(PER_HOUR, PER_DAY));
    private final MongoQuotaLedger ledger = new MongoQuotaLedger(cluster.mongo);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void capsHoldThroughJoinsCrashesAndRestartsAndTheCampaignFinishesInLaterWindows() throws Exception {
        long eligible = cluster.populate(500, 0);
        assertThat(eligible).as("more than a day's quota").isGreaterThan(PER_DAY + 50);
        MailcastNode a = startNode();
        MailcastNode b = startNode();
        Campaign campaign = cluster.submit("capped", 10);

        // Hour 1: a node joins, one crashes, one stops and another starts, while the hour's cap runs out.
        awaitSent(20);
        startNode();
        awaitSent(50);
        cluster.kill(a);
        awaitSent(80);
        cluster.stop(b);
        startNode();
        awaitStarved(HOUR_1, PER_HOUR);
        assertThat(relay.sentIn(HOUR_1)).isLessThanOrEqualTo(PER_HOUR);
        assertThat(PER_HOUR - relay.sentIn(HOUR_1)).as("units the crashed node took with it")
                .isBetween(0L, QuotaAllowance.batchLimit(PER_HOUR));
        // Sends waiting for quota use no attempts and keep their chunks: leases are renewed, nothing is reclaimed.
        assertLeasesRenewedWhileWaiting(campaign.id());
        assertThat(cluster.state(campaign.id())).isEqualTo(CampaignState.RUNNING);
        assertThat(new MongoDeliveryStore(cluster.mongo).count(campaign.id()).failed()).isZero();

        // Hour 2 of the same day: sending resumes, and the day's cap holds across a restart of the whole cluster.
        relayClock.jumpTo(HOUR_2.start());
        long beforeHour2 = relay.total();
        awaitSent(beforeHour2 + 30);
        for (MailcastNode node : List.copyOf(cluster.nodes)) {
            cluster.stop(node);
        }
        startNode();
        startNode();
        awaitStarved(DAY_1, PER_DAY);
        assertThat(relay.sentIn(HOUR_2)).isLessThanOrEqualTo(PER_HOUR);
        assertThat(relay.sentIn(DAY_1)).isLessThanOrEqualTo(PER_DAY);
        assertThat(PER_DAY - relay.sentIn(DAY_1)).as("units the crashed node took with it")
                .isBetween(0L, QuotaAllowance.batchLimit(PER_DAY));

        // The next day: the rest goes out within its own quota and the campaign completes.
        relayClock.jumpTo(DAY_2.start());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);
        assertThat(new MongoDeliveryStore(cluster.mongo).count(campaign.id()).sent()).isEqualTo(eligible);
        assertThat(relay.sentIn(DAY_2)).isPositive().isLessThanOrEqualTo(ledger.used(RELAY, DAY_2));
        assertThat(ledger.used(RELAY, DAY_2)).isLessThanOrEqualTo(PER_DAY);
    }

    @Test
    void aNodeStoppedWhileItsSendsWaitForQuotaHandsItsChunksBackWithoutDoubt() throws Exception {
        long eligible = cluster.populate(300, 0);
        assertThat(eligible).as("more than the hour's quota, within the day's").isBetween(PER_HOUR + 1, PER_DAY);
        MailcastNode a = startNode();
        Campaign campaign = cluster.submit("stopped-waiting", 10);
        awaitStarved(HOUR_1, PER_HOUR);
        var board = new HazelcastChunkBoard(a.hazelcast());
        assertThat(owned(board.chunksOf(campaign.id()))).as("chunks held while their sends wait").isNotEmpty();

        MailcastNode b = startNode(); // keeps the board alive while a stops
        long stopAt = System.nanoTime();
        cluster.stop(a);
        assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).as("stopped within its 1 s grace, not after waits")
                .isLessThan(Duration.ofSeconds(5));
        var survivorBoard = new HazelcastChunkBoard(b.hazelcast());
        assertThat(survivorBoard.chunksOf(campaign.id())).as("handed back cleanly: no reservation left in doubt")
                .allMatch(c -> c.reservedThrough() == null || c.state() == ChunkState.DONE || b.nodeId().equals(c.owner()));

        relayClock.jumpTo(HOUR_2.start());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);
        ChunkCounts counts = new MongoDeliveryStore(cluster.mongo).count(campaign.id());
        assertThat(counts.sent()).isEqualTo(eligible);
        assertThat(counts.uncertain()).as("nobody was in doubt: the waiting sends never reached the relay").isZero();
        assertThat(relay.total()).as("one message per recipient").isEqualTo(eligible);
    }

    private MailcastNode startNode() {
        return cluster.startNode(relays, relayClock, 8);
    }

    private void awaitSent(long atLeast) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> relay.total() >= atLeast);
    }

    /** Until the window's cap is all taken and the relay has received nothing for 1.5 seconds. */
    private void awaitStarved(QuotaWindow window, long cap) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> ledger.used(RELAY, window) == cap);
        long sent;
        do {
            sent = relay.total();
            Thread.sleep(1_500);
        } while (relay.total() != sent);
        assertThat(ledger.used(RELAY, window)).as("taken in %s", window).isEqualTo(cap);
    }

    /** Over more than a lease, every chunk held stays with its owner at the same epoch, its lease moving on. */
    private void assertLeasesRenewedWhileWaiting(String campaignId) throws InterruptedException {
        var board = new HazelcastChunkBoard(cluster.nodes.getFirst().hazelcast());
        Map<String, ChunkRecord> held = owned(board.chunksOf(campaignId));
        assertThat(held).as("chunks held by nodes whose sends wait for quota").isNotEmpty();
        Thread.sleep(4_000); // the lease is 3 s
        Map<String, ChunkRecord> later = owned(board.chunksOf(campaignId));
        assertThat(later.keySet()).isEqualTo(held.keySet());
        held.forEach((key, before) -> {
            ChunkRecord after = later.get(key);
            assertThat(after.owner()).isEqualTo(before.owner());
            assertThat(after.epoch()).isEqualTo(before.epoch());
            assertThat(after.leaseUntil()).isGreaterThan(before.leaseUntil());
        });
    }

    private static Map<String, ChunkRecord> owned(List<ChunkRecord> chunks) {
        return chunks.stream().filter(c -> c.state() == ChunkState.OWNED)
                .collect(Collectors.toMap(ChunkRecord::key, Function.identity()));
    }
}
