package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;

import java.time.Instant;

/** Reads a campaign and its progress from the store; unknown ids become a {@link Cli.NotFoundException}. */
final class CampaignLookup {

    private final MongoCampaignStore campaigns;
    private final MongoChunkStore chunks;
    private final MongoDeliveryStore deliveries;

    CampaignLookup(MongoConnection mongo) {
        this.campaigns = new MongoCampaignStore(mongo);
        this.chunks = new MongoChunkStore(mongo);
        this.deliveries = new MongoDeliveryStore(mongo);
    }

    Campaign campaign(String id) {
        return campaigns.find(id).orElseThrow(() -> new Cli.NotFoundException(
                "no campaign with id '" + id + "'; `bin/coordinator list` shows the known ones"));
    }

    /** The chunks' figures, and the uncertain deliveries by cause (one indexed count per cause). */
    CampaignProgress progress(String id) {
        return CampaignProgress.of(campaign(id), chunks.load(id), Instant.now())
                .withUncertainByCause(deliveries.uncertainByCause(id))
                .withSenders(campaigns.senders(id));
    }

    MongoCampaignStore campaigns() {
        return campaigns;
    }
}
