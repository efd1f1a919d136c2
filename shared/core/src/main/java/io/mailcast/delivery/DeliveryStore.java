package io.mailcast.delivery;

import io.mailcast.chunk.ChunkCounts;
import io.mailcast.subscriber.SubscriberId;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Per-recipient outcomes; doubles as the checkpoint of which recipients of a chunk are finished. */
public interface DeliveryStore {

    /**
     * Records outcomes in bulk. A recipient that already has an outcome keeps the first one (the write is idempotent,
     * so a retried flush never double-counts). Throws on store failure; the caller keeps the batch and retries.
     */
    void record(List<Delivery> deliveries);

    /** Outcomes already recorded for these subscribers of the campaign, by subscriber id. */
    Map<SubscriberId, Delivery> recorded(String campaignId, Collection<SubscriberId> subscriberIds);

    /** Subscriber ids recorded as FAILED for the campaign, ascending. */
    List<SubscriberId> failed(String campaignId);

    /** Forgets the recorded outcomes of these subscribers, so their chunk sends to them again. */
    void forget(String campaignId, Collection<SubscriberId> subscriberIds);

    /** Counts of recorded outcomes of a campaign (a full count: for audits and tests, not for hot paths). */
    ChunkCounts count(String campaignId);

    /**
     * How many of the campaign's recipients are flagged uncertain, by cause (every cause present, 0 when none). Cheap
     * enough for {@code status}: one indexed count per cause.
     */
    Map<UncertainCause, Long> uncertainByCause(String campaignId);
}
