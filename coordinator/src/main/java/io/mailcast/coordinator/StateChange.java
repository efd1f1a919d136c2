package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoConnection;

import java.time.Instant;
import java.util.Arrays;

/** Shared body of pause, resume and cancel: a guarded state transition with a clear message when not allowed. */
final class StateChange {

    private StateChange() {
    }

    static int apply(ConnectionOptions connection, String id, CampaignState to, String reason, CampaignState... from) {
        try (MongoConnection mongo = connection.mongo()) {
            CampaignLookup lookup = new CampaignLookup(mongo);
            Campaign campaign = lookup.campaign(id);
            if (campaign.state() == to) {
                System.out.println("campaign " + id + " is already " + to);
                return Cli.OK;
            }
            if (!lookup.campaigns().transition(id, to, reason, Instant.now(), from)) {
                throw new IllegalArgumentException("campaign " + id + " is " + lookup.campaign(id).state()
                        + "; only a campaign that is " + Arrays.toString(from) + " can become " + to);
            }
            System.out.println("campaign " + id + " is now " + to);
            return Cli.OK;
        }
    }
}
