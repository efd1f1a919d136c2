package io.mailcast.delivery;

import io.mailcast.campaign.CampaignDirectory;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.sender.Sender;
import io.mailcast.subscriber.SubscriberSource;

import java.time.Clock;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/** What a chunk job needs from its node; one instance per node. */
public record DeliveryContext(
        String nodeId,
        ChunkBoard board,
        ChunkStore chunkStore,
        DeliveryStore deliveries,
        SubscriberSource subscribers,
        CampaignDirectory campaigns,
        Sender sender,
        RecipientHeaders headers,
        DeliveryTuning tuning,
        Semaphore permits,
        NodeStats stats,
        Clock clock,
        BooleanSupplier stopping) {
}
