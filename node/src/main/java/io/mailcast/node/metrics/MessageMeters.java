package io.mailcast.node.metrics;

import io.mailcast.message.MessageStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The send API's series on this node. */
public final class MessageMeters {

    private MessageMeters() {
    }

    /** @param queueDepth messages QUEUED or PROCESSING in the cluster; throws when the store does not answer */
    public static void register(MeterRegistry registry, MessageStats s, LongSupplier queueDepth, IntSupplier inFlight) {
        EngineMeters.counter(registry, "mailcast.api.messages.accepted", "Send-API messages this node stored", s.accepted);
        EngineMeters.counter(registry, "mailcast.api.messages.sent", "Send-API messages this node sent to every recipient",
                s.sent);
        EngineMeters.counter(registry, "mailcast.api.messages.failed", "Send-API messages this node finished as FAILED",
                s.failed);
        EngineMeters.counter(registry, "mailcast.api.messages.retried",
                "Send-API attempts queued again after a transient failure", s.retried);
        EngineMeters.counter(registry, "mailcast.api.messages.uncertain", "Send-API messages that may have arrived twice",
                s.uncertain);
        EngineMeters.gauge(registry, "mailcast.api.messages.in.flight", "Send-API messages this node is sending now", inFlight);
        Gauge.builder("mailcast.api.queue.depth", queueDepth, MessageMeters::orNaN)
                .description("Send-API messages QUEUED or PROCESSING in the cluster (NaN when the store did not answer)")
                .strongReference(true) // nothing else holds the supplier; a weak gauge would read NaN after a GC
                .register(registry);
    }

    private static double orNaN(LongSupplier value) {
        try {
            return value.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
