package io.mailcast.engine;

import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkLedger;
import io.mailcast.delivery.AddressClaims;
import io.mailcast.delivery.DeliveryStore;
import io.mailcast.engine.CampaignDirectory;
import io.mailcast.reminder.ReminderClaims;
import io.mailcast.sender.Sender;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.suppression.SuppressionList;
import io.mailcast.suppression.UnsubscribeLinks;
import io.mailcast.validation.VerdictLookup;

import java.time.Clock;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/** What a chunk job needs from its node; one instance per node. */
public record DeliveryContext(
        String nodeId,
        ChunkLedger ledger,
        DeliveryStore deliveries,
        SubscriberSource subscribers,
        SuppressionList suppressions,
        AddressClaims addressClaims,
        CampaignDirectory campaigns,
        SenderMarks senderMarks,
        Sender sender,
        UnsubscribeLinks unsubscribeLinks,
        DeliveryTuning tuning,
        Semaphore permits,
        NodeStats stats,
        Clock clock,
        BooleanSupplier stopping,
        VerdictLookup verdicts,
        ReminderClaims reminderClaims,
        ChunkObserver chunkObserver,
        ReservationPace reservationPace) {

    public ChunkBoard board() {
        return ledger.board();
    }
}
