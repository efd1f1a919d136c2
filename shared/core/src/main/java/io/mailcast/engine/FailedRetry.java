package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.campaign.CampaignStore;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.delivery.DeliveryStore;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collections;
import java.util.List;

/**
 * Sends again to the recipients recorded as FAILED, and to no one else: their outcomes are forgotten and the chunks
 * holding them reopened; the next owner of each chunk skips every recipient that still has an outcome.
 */
public final class FailedRetry {

    private static final Logger log = LoggerFactory.getLogger(FailedRetry.class);

    private final CampaignStore campaigns;
    private final ChunkLedger ledger;
    private final DeliveryStore deliveries;
    private final Clock clock;

    public FailedRetry(CampaignStore campaigns, ChunkStore chunkStore, ChunkBoard board, DeliveryStore deliveries, Clock clock) {
        this.campaigns = campaigns;
        this.ledger = new ChunkLedger(board, chunkStore, clock, Sleeper.SYSTEM);
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** @return how many recipients will be tried again */
    public int retry(Campaign campaign) {
        if (campaign.state() != CampaignState.COMPLETED && campaign.state() != CampaignState.PAUSED) {
            throw new IllegalArgumentException("campaign " + campaign.id() + " is " + campaign.state()
                    + "; retry-failed works on a COMPLETED or PAUSED campaign");
        }
        List<SubscriberId> failed = deliveries.failed(campaign.id());
        if (failed.isEmpty()) {
            return 0;
        }
        List<ChunkRecord> candidates = ledger.store().load(campaign.id()).stream()
                .filter(chunk -> chunk.state() == ChunkState.DONE && containsAny(chunk, failed)).toList();
        List<ChunkRecord> reopened = ledger.reopen(candidates, () -> deliveries.forget(campaign.id(), failed));
        campaigns.transition(campaign.id(), CampaignState.RUNNING, "retrying " + failed.size() + " failed recipients",
                clock.instant(), CampaignState.COMPLETED, CampaignState.PAUSED);
        log.info("campaign={} retrying {} failed recipients in {} chunks", campaign.id(), failed.size(), reopened.size());
        return failed.size();
    }

    private static boolean containsAny(ChunkRecord chunk, List<SubscriberId> sortedIds) {
        int i = Collections.binarySearch(sortedIds, chunk.ids().from());
        int at = i >= 0 ? i : -i - 1;
        while (at < sortedIds.size() && sortedIds.get(at).compareTo(chunk.ids().through()) <= 0) {
            if (chunk.ids().contains(sortedIds.get(at))) {
                return true;
            }
            at++;
        }
        return false;
    }
}
