package io.mailcast.node;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.subscriber.Audience;
import io.mailcast.testing.Campaigns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A submit that dies while PLANNING: supervision plans the campaign afresh, or marks it FAILED with the reason. */
class PlanningRecoveryTest {

    private final NodeCluster cluster = new NodeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void aCampaignLeftInPlanningByADeadSubmitterIsPlannedAndSent() {
        long eligible = cluster.populate(1_500, 0);
        cluster.startNode(5, 100);
        // What a submit killed right after storing the campaign leaves behind: PLANNING, no chunks, no live lease.
        Campaign orphan = cluster.campaigns().insertIfAbsent(NodeCluster.draft("orphan", 100));
        assertThat(orphan.state()).isEqualTo(CampaignState.PLANNING);

        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state("orphan") == CampaignState.COMPLETED);

        assertThat(cluster.campaigns().find("orphan").orElseThrow().eligible()).isEqualTo(eligible);
        assertThat(cluster.deliveryDocuments("orphan")).isEqualTo(eligible);
    }

    @Test
    void aCampaignThatCannotBePlannedEndsFailedWithTheReason() {
        cluster.populate(100, 0);
        cluster.startNode(5, 100);
        cluster.campaigns().insertIfAbsent(Campaigns.aCampaign().id("broken").audience(new Audience("{not json")).build());

        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state("broken") == CampaignState.FAILED);

        assertThat(cluster.campaigns().find("broken").orElseThrow().stateReason()).startsWith("planning failed: ");
        assertThat(cluster.deliveryDocuments("broken")).isZero();
    }
}
