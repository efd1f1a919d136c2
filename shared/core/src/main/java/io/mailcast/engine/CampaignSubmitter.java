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
import io.mailcast.render.TemplateException;
import io.mailcast.sender.MailboxAddress;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Submits a campaign: stores it, plans its chunks from the eligible ids, stores the chunks, marks it RUNNING and
 * publishes the chunks to the board. Submitting an id again never re-plans or re-sends a campaign that got past
 * planning. Planning has an owner with a lease, renewed while the ids stream in: a submitter that dies mid-planning
 * leaves a lease that runs out, and supervision plans the campaign afresh (nothing was sent for it yet).
 */
public final class CampaignSubmitter {

    /** How long a planner's claim on a PLANNING campaign lasts unless renewed; renewed every third of it. */
    public static final Duration PLANNING_LEASE = Duration.ofSeconds(30);
    private static final int IDS_BETWEEN_CLOCK_CHECKS = 4096;

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

    /** @param draft a campaign in state PLANNING; it is {@linkplain #check checked} before anything is stored */
    public Submitted submit(Campaign draft) {
        check(draft);
        Campaign stored = campaigns.insertIfAbsent(draft);
        if (stored.state() != CampaignState.PLANNING) {
            log.info("campaign={} already submitted ({}); nothing to do", stored.id(), stored.state());
            return new Submitted(stored, false);
        }
        String planner = "submit-" + UUID.randomUUID();
        // Any campaign without a live lease is ours to plan: fresh, or left by a submitter that died.
        if (!hold(stored.id(), planner, clock.instant().plus(PLANNING_LEASE))) {
            log.info("campaign={} is being planned by another process; it runs when that planning ends", stored.id());
            return new Submitted(stored, false);
        }
        try {
            plan(stored, planner);
        } catch (IllegalArgumentException e) {
            // Bad input (an audience the database refuses): retrying cannot help.
            fail(stored.id(), e);
            throw e;
        }
        return new Submitted(campaigns.find(stored.id()).orElseThrow(), true);
    }

    /**
     * Refuses what would fail for every recipient: From or Reply-To that is not one mailbox, a subject with a line break
     * (the operator's own text; what templates insert is cleaned when the message is written), a template that does
     * not compile strictly.
     *
     * @throws IllegalArgumentException or {@link TemplateException}, naming the problem
     */
    public static void check(Campaign draft) {
        MailboxAddress.parse("From", draft.from());
        if (draft.replyTo() != null) {
            MailboxAddress.parse("Reply-To", draft.replyTo());
        }
        if (draft.subject().chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the subject contains a line break or control character; write it on one line");
        }
        MessageTemplate.of(draft);
    }

    /**
     * Plans a PLANNING campaign whose planner's lease ran out (its submitter died). Returns false, doing nothing, when
     * the lease is still held. A failure is thrown; the caller decides when to give up (see {@link #fail}).
     */
    public boolean replanIfOrphaned(Campaign campaign, String planner) {
        // Without any lease, only a campaign older than a lease is orphaned: a younger one's submitter is still taking it.
        if (!hold(campaign.id(), planner, clock.instant().minus(PLANNING_LEASE))) {
            return false;
        }
        log.warn("campaign={} was left in PLANNING (its submitter died or gave up); planning it afresh", campaign.id());
        check(campaign);
        plan(campaign, planner);
        return true;
    }

    /** Marks a campaign that cannot be planned FAILED, with the reason. */
    public void fail(String campaignId, RuntimeException cause) {
        String reason = "planning failed: " + cause.getMessage();
        if (campaigns.transition(campaignId, CampaignState.FAILED, reason, clock.instant(), CampaignState.PLANNING)) {
            log.warn("campaign={} {}", campaignId, reason);
        }
    }

    private void plan(Campaign stored, String planner) {
        ChunkPlanner chunks = new ChunkPlanner(stored.id(), stored.chunkSize());
        long[] nextRenewal = {clock.millis() + PLANNING_LEASE.toMillis() / 3};
        long[] seen = {0};
        subscribers.eligibleIds(stored.audience(), id -> {
            chunks.accept(id);
            if (++seen[0] % IDS_BETWEEN_CLOCK_CHECKS == 0 && clock.millis() >= nextRenewal[0]) {
                renew(stored.id(), planner);
                nextRenewal[0] = clock.millis() + PLANNING_LEASE.toMillis() / 3;
            }
        });
        List<ChunkRange> ranges = chunks.finish();
        long now = clock.millis();
        List<ChunkRecord> records = ranges.stream().map(r -> ChunkRecord.queued(r, now)).toList();
        renew(stored.id(), planner);
        ledger.recordPlan(stored.id(), records);
        campaigns.planned(stored.id(), chunks.eligible(), records.size());
        if (records.isEmpty()) {
            campaigns.transition(stored.id(), CampaignState.COMPLETED, "no eligible subscribers", clock.instant(),
                    CampaignState.PLANNING);
        } else {
            campaigns.transition(stored.id(), CampaignState.RUNNING, null, clock.instant(), CampaignState.PLANNING);
            ledger.publish(records);
        }
        log.info("campaign={} submitted: {} eligible recipients in {} chunks of up to {}", stored.id(),
                chunks.eligible(), records.size(), stored.chunkSize());
    }

    /** Takes or renews the planning lease; a campaign that never had one is free if created before {@code orphanedBefore}. */
    private boolean hold(String campaignId, String planner, Instant orphanedBefore) {
        Instant now = clock.instant();
        return campaigns.holdPlanning(campaignId, planner, now.plus(PLANNING_LEASE), now, orphanedBefore);
    }

    /** A planner that lost its lease stops: another one has taken over, and two must never write the chunks. */
    private void renew(String campaignId, String planner) {
        if (!hold(campaignId, planner, clock.instant().minus(PLANNING_LEASE))) {
            throw new IllegalStateException("campaign " + campaignId + ": planning was taken over by another process "
                    + "(this one was too slow to renew its lease, or the campaign left PLANNING)");
        }
    }
}
