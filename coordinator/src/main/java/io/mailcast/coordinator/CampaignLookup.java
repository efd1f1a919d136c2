package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;

import java.time.Instant;

/** Reads a campaign and its progress from the store; unknown ids become a {@link Cli.NotFoundException}. */
final class CampaignLookup {

    private final MongoCampaignStore campaigns;
    private final MongoChunkStore chunks;

    CampaignLookup(MongoConnection mongo) {
        this.campaigns = new MongoCampaignStore(mongo);
        this.chunks = new MongoChunkStore(mongo);
    }

    Campaign campaign(String id) {
        return campaigns.find(id).orElseThrow(() -> new Cli.NotFoundException(
                "no campaign with id '" + id + "'; `bin/coordinator list` shows the known ones"));
    }

    CampaignProgress progress(String id) {
        return CampaignProgress.of(campaign(id), chunks.load(id), Instant.now());
    }

    MongoCampaignStore campaigns() {
        return campaigns;
    }
}
