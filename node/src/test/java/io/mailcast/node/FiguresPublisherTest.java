package io.mailcast.node;

import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cluster.ClusterFigures;
import io.mailcast.cluster.SqlMappings;
import io.mailcast.message.Message;
import io.mailcast.message.StoredMessage;
import io.mailcast.store.MongoMessageStore;
import io.mailcast.testing.Campaigns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Campaign reactions and per-key send-API figures, from MongoDB into the maps Management Center's SQL reads. */
class FiguresPublisherTest {

    private final NodeCluster cluster = new NodeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void theSupervisorPublishesUnfinishedAndRecentCampaignsAndEveryKey() {
        MailcastNode node = cluster.startNode(5, 10);
        Instant now = Instant.now();
        var campaigns = cluster.campaigns();
        campaigns.insertIfAbsent(Campaigns.aCampaign().id("running").state(CampaignState.RUNNING).eligible(500).build());
        campaigns.countUnsubscribe("running");
        campaigns.countUnsubscribe("running");
        campaigns.insertIfAbsent(Campaigns.aCampaign().id("last-week").state(CampaignState.COMPLETED).eligible(9)
                .finishedAt(now.minus(Duration.ofDays(6))).build());
        campaigns.insertIfAbsent(Campaigns.aCampaign().id("last-month").state(CampaignState.COMPLETED).eligible(9)
                .finishedAt(now.minus(Duration.ofDays(30))).build());
        var messages = new MongoMessageStore(cluster.mongo);
        Message message = new Message("shop@example.com", List.of("ann@example.org"), List.of(), null, "Hi", "x", null,
                Map.of(), List.of());
        messages.accept(StoredMessage.queued("m1", "key_a", null, message, List.of(), now));
        messages.accept(StoredMessage.queued("m2", "key_a", null, message, List.of(), now));
        SqlMappings.create(node.hazelcast());

        new FiguresPublisher(new ClusterFigures(node.hazelcast()), campaigns, messages, () -> true, Clock.systemUTC(),
                FiguresPublisher.DEFAULT_INTERVAL).publishNow();

        Map<String, Long> unsubscribed = new HashMap<>();
        try (SqlResult rows = node.hazelcast().getSql().execute("SELECT campaignId, unsubscribed FROM campaign_stats")) {
            for (SqlRow row : rows) {
                unsubscribed.put(row.getObject("campaignId"), row.getObject("unsubscribed"));
            }
        }
        assertThat(unsubscribed).containsOnly(Map.entry("running", 2L), Map.entry("last-week", 0L));
        // The node's own dispatcher may have sent them meanwhile: queued or sent, both are counted.
        try (SqlResult rows = node.hazelcast().getSql().execute("SELECT keyId, queued + sent AS accepted FROM api_key_stats")) {
            assertThat(rows.iterator().next()).satisfies(row -> {
                assertThat(row.<String>getObject("keyId")).isEqualTo("key_a");
                assertThat(row.<Long>getObject("accepted")).isEqualTo(2L);
            });
        }
    }
}
