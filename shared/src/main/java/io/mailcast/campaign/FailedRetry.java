package io.mailcast.campaign;

import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.delivery.DeliveryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends again to the recipients recorded as FAILED, and to no one else: their outcomes are forgotten and the chunks
 * holding them reopened; the next owner of each chunk skips every recipient that still has an outcome.
 */
public final class FailedRetry {

    private static final Logger log = LoggerFactory.getLogger(FailedRetry.class);

    private final CampaignStore campaigns;
    private final ChunkStore chunkStore;
    private final ChunkBoard board;
    private final DeliveryStore deliveries;
    private final Clock clock;

    public FailedRetry(CampaignStore campaigns, ChunkStore chunkStore, ChunkBoard board, DeliveryStore deliveries, Clock clock) {
        this.campaigns = campaigns;
        this.chunkStore = chunkStore;
        this.board = board;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** @return how many recipients will be tried again */
    public int retry(Campaign campaign) {
        if (campaign.state() != CampaignState.COMPLETED && campaign.state() != CampaignState.PAUSED) {
            throw new IllegalArgumentException("campaign " + campaign.id() + " is " + campaign.state()
                    + "; retry-failed works on a COMPLETED or PAUSED campaign");
        }
        List<Long> failed = deliveries.failed(campaign.id());
        if (failed.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        List<ChunkRecord> reopened = new ArrayList<>();
        for (ChunkRecord chunk : chunkStore.load(campaign.id())) {
            if (chunk.state() == ChunkState.DONE && containsAny(chunk, failed) && chunkStore.reopened(chunk)) {
                reopened.add(chunk);
            }
        }
        deliveries.forget(campaign.id(), failed);
        for (ChunkRecord chunk : reopened) {
            // A board that lost the entry (restart) gets it back from the store through supervision.
            board.get(chunk.key()).ifPresent(onBoard -> board.reopen(onBoard, now));
        }
        campaigns.transition(campaign.id(), CampaignState.RUNNING, "retrying " + failed.size() + " failed recipients",
                clock.instant(), CampaignState.COMPLETED, CampaignState.PAUSED);
        log.info("campaign={} retrying {} failed recipients in {} chunks", campaign.id(), failed.size(), reopened.size());
        return failed.size();
    }

    private static boolean containsAny(ChunkRecord chunk, List<Long> sortedIds) {
        int i = java.util.Collections.binarySearch(sortedIds, chunk.firstId());
        int at = i >= 0 ? i : -i - 1;
        return at < sortedIds.size() && sortedIds.get(at) <= chunk.lastId();
    }
}
