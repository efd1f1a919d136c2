package io.mailcast.node.metrics;

import io.mailcast.schedule.Firing;
import io.mailcast.schedule.FiringStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A firing store that counts the slots this node's supervisor fired or skipped, per schedule, and how late each fired
 * slot went out ({@code mailcast_schedule_firing_lag_seconds}). Only the supervisor that recorded a slot counts it.
 */
public final class ObservedFiringStore implements FiringStore {

    private final FiringStore delegate;
    private final MeterRegistry registry;
    private final Histograms lag;

    public ObservedFiringStore(FiringStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
        this.lag = new Histograms(registry, "mailcast.schedule.firing.lag",
                "From a slot's time to its campaign's submission, per schedule",
                Histograms.seconds(0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400));
    }

    @Override
    public boolean record(Firing firing) {
        boolean recorded = delegate.record(firing);
        if (recorded) {
            boolean fired = firing.campaignId() != null;
            Counter.builder("mailcast.schedule.slots").description("Slots this node's supervisor fired or skipped")
                    .tags("schedule", firing.scheduleId(), "result", fired ? "fired" : "skipped")
                    .register(registry).increment();
            if (fired) {
                lag.record(firing.lateBy(), "schedule", firing.scheduleId());
            }
        }
        return recorded;
    }

    @Override
    public Optional<Instant> lastSlot(String scheduleId) {
        return delegate.lastSlot(scheduleId);
    }

    @Override
    public List<Firing> latest(String scheduleId, int limit) {
        return delegate.latest(scheduleId, limit);
    }

    @Override
    public List<Firing> lateOrSkipped(String scheduleId, Duration lateOver, int limit) {
        return delegate.lateOrSkipped(scheduleId, lateOver, limit);
    }
}
