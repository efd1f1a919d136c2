package io.mailcast.node;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDeliveryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node cut off from the cluster and the store while most of its sends wait for the relay's rate (a partition, or a
 * kill whose threads linger: here the node's member is terminated and its store connection closed, its threads run
 * on) sends only the recipients it had reserved; the sends still waiting are withheld when they reach the relay. The
 * next owner counts every copy that did go out, and little more. Reserving when a send was dispatched rather than when
 * it leaves let the cut-off node mail its 164 waiting recipients a second time in one run.
 */
class CutOffNodeSendsTest {

    private static final int CONCURRENCY = 200;

    private final NodeCluster cluster = new NodeCluster();
    private final CountingEndpoint relay = new CountingEndpoint();
    // 50 a second: most of a node's 200 sends under way wait for a slot, before the relay.
    private final RelaySet relays = RelaySet.of(RelayConfig.of("paced", relay).withRate(50));

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void aNodeCutOffWhileItsSendsWaitForTheRelaySendsOnlyWhatItReserved() {
        long eligible = cluster.populate(400, 0);
        MailcastNode doomed = cluster.startNode(relays, Clock.systemUTC(), CONCURRENCY);
        Campaign campaign = cluster.submit("doubt", 100);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> relay.total() >= 100);

        cluster.kill(doomed);
        cluster.startNode(relays, Clock.systemUTC(), CONCURRENCY);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);

        assertThat(new MongoDeliveryStore(cluster.mongo).count(campaign.id()).sent()).isEqualTo(eligible);
        long duplicates = relay.total() - eligible;
        long uncertain = new MongoChunkStore(cluster.mongo).load(campaign.id()).stream()
                .mapToLong(c -> c.counts().uncertain()).sum();
        // The node's tuning as NodeCluster sets it: at most each chunk slot's reservation ahead of the relay.
        var tuning = new DeliveryTuning(CONCURRENCY, Duration.ofSeconds(3), 25, 100, Duration.ofMillis(100), 3,
                Duration.ofMillis(20));
        long reservedAhead = (long) tuning.chunkSlots() * tuning.reserveStep();
        assertThat(duplicates).as("second copies").isLessThanOrEqualTo(reservedAhead);
        assertThat(uncertain).as("uncertain, with %d second copies", duplicates)
                .isGreaterThanOrEqualTo(duplicates)
                .isLessThanOrEqualTo(duplicates + reservedAhead);
        assertThat(new MongoChunkStore(cluster.mongo).load(campaign.id())).extracting(ChunkRecord::state)
                .allMatch(s -> s == ChunkState.DONE);
    }
}
