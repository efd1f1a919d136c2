package io.mailcast.node.metrics;

import io.mailcast.chunk.ChunkCounts;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.DeliveryStore;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.subscriber.SubscriberId;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A delivery store that records how long each outcome flush took ({@code mailcast_store_write_duration_seconds}). */
public final class TimedDeliveryStore implements DeliveryStore {

    private final DeliveryStore delegate;
    private final Histograms writes;

    public TimedDeliveryStore(DeliveryStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.writes = new Histograms(registry, "mailcast.store.write.duration",
                "Time to write a batch of outcomes to the store, failed writes included",
                Histograms.seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10));
    }

    @Override
    public void record(List<Delivery> deliveries) {
        long started = System.nanoTime();
        boolean written = false;
        try {
            delegate.record(deliveries);
            written = true;
        } finally {
            writes.record(Duration.ofNanos(System.nanoTime() - started), "store", "deliveries",
                    "result", written ? "ok" : "error");
        }
    }

    @Override
    public Map<SubscriberId, Delivery> recorded(String campaignId, Collection<SubscriberId> subscriberIds) {
        return delegate.recorded(campaignId, subscriberIds);
    }

    @Override
    public List<SubscriberId> failed(String campaignId, boolean includePermanent) {
        return delegate.failed(campaignId, includePermanent);
    }

    @Override
    public long permanentlyFailed(String campaignId) {
        return delegate.permanentlyFailed(campaignId);
    }

    @Override
    public void forget(String campaignId, Collection<SubscriberId> subscriberIds) {
        delegate.forget(campaignId, subscriberIds);
    }

    @Override
    public ChunkCounts count(String campaignId) {
        return delegate.count(campaignId);
    }

    @Override
    public Map<UncertainCause, Long> uncertainByCause(String campaignId) {
        return delegate.uncertainByCause(campaignId);
    }
}
