package io.mailcast.engine;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.campaign.CampaignStore;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkPlanner;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.render.MessageTemplate;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Submits a campaign: stores it, plans its chunks from the eligible ids, stores the chunks, marks it RUNNING and
 * publishes the chunks to the board. Submitting an id again never re-plans or re-sends a campaign that got past
 * planning; a submission interrupted while planning (nothing sent yet) is planned afresh.
 */
public final class CampaignSubmitter {

    private static final Logger log = LoggerFactory.getLogger(CampaignSubmitter.class);

    private final CampaignStore campaigns;
    private final ChunkLedger ledger;
    private final SubscriberSource subscribers;
    private final Clock clock;

    public CampaignSubmitter(CampaignStore campaigns, ChunkStore chunkStore, ChunkBoard board,
                             SubscriberSource subscribers, Clock clock) {
        this.campaigns = campaigns;
        this.ledger = new ChunkLedger(board, chunkStore, clock, Sleeper.SYSTEM);
        this.subscribers = subscribers;
        this.clock = clock;
    }

    public record Submitted(Campaign campaign, boolean created) {
    }

    /** @param draft a campaign in state PLANNING; its templates are compiled first so a broken one is refused early */
    public Submitted submit(Campaign draft) {
        MessageTemplate.of(draft);
        Campaign stored = campaigns.insertIfAbsent(draft);
        if (stored.state() != CampaignState.PLANNING) {
            log.info("campaign={} already submitted ({}); nothing to do", stored.id(), stored.state());
            return new Submitted(stored, false);
        }
        ChunkPlanner planner = new ChunkPlanner(stored.id(), stored.chunkSize());
        subscribers.eligibleIds(stored.audience(), planner);
        List<ChunkRange> ranges = planner.finish();
        long now = clock.millis();
        List<ChunkRecord> records = ranges.stream().map(r -> ChunkRecord.queued(r, now)).toList();
        ledger.recordPlan(stored.id(), records);
        campaigns.planned(stored.id(), planner.eligible(), records.size());
        if (records.isEmpty()) {
            campaigns.transition(stored.id(), CampaignState.COMPLETED, "no eligible subscribers", clock.instant(),
                    CampaignState.PLANNING);
        } else {
            campaigns.transition(stored.id(), CampaignState.RUNNING, null, clock.instant(), CampaignState.PLANNING);
            ledger.publish(records);
        }
        log.info("campaign={} submitted: {} eligible recipients in {} chunks of up to {}", stored.id(),
                planner.eligible(), records.size(), stored.chunkSize());
        return new Submitted(campaigns.find(stored.id()).orElseThrow(), true);
    }
}
