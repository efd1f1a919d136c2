package io.mailcast.node.metrics;

import io.mailcast.message.MessageStats;
import io.mailcast.webhook.WebhookStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The send API's series on this node. */
public final class MessageMeters {

    private MessageMeters() {
    }

    /**
     * @param queueDepth messages QUEUED or PROCESSING in the cluster; throws when the store does not answer
     * @param queueAge   seconds since the oldest of them was accepted, 0 when there is none; throws likewise
     */
    public static void register(MeterRegistry registry, MessageStats s, LongSupplier queueDepth, LongSupplier queueAge,
                                IntSupplier inFlight) {
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
        Gauge.builder("mailcast.api.queue.oldest", queueAge, MessageMeters::orNaN).baseUnit("seconds")
                .description("Age of the oldest send-API message not finished in the cluster (NaN when the store did "
                        + "not answer)")
                .strongReference(true)
                .register(registry);
        s.byKey.onNewKey(key -> perKey(registry, key, s.byKey.get(key)));
    }

    /** Reports POSTed to API keys' webhooks by this node. */
    public static void registerWebhooks(MeterRegistry registry, WebhookStats s) {
        webhookCounter(registry, "delivered", s.delivered);
        webhookCounter(registry, "failed", s.failedAttempts);
        webhookCounter(registry, "gave_up", s.gaveUp);
    }

    private static void webhookCounter(MeterRegistry registry, String result, LongAdder value) {
        FunctionCounter.builder("mailcast.api.webhooks", value, LongAdder::sum)
                .description("Webhook reports this node POSTed: delivered (2xx), failed attempts (retried later), "
                        + "gave_up (attempts used up, or the key lost its webhook)")
                .tags("result", result).register(registry);
    }

    /** One series per API key and event; a key's id is no secret (its hash is stored, its secret never). */
    private static void perKey(MeterRegistry registry, String key, MessageStats.KeyCounts counts) {
        keyCounter(registry, key, "accepted", counts.accepted);
        keyCounter(registry, key, "sent", counts.sent);
        keyCounter(registry, key, "failed", counts.failed);
    }

    private static void keyCounter(MeterRegistry registry, String key, String event, LongAdder value) {
        FunctionCounter.builder("mailcast.api.key.messages", value, LongAdder::sum)
                .description("Send-API messages per API key on this node: accepted, sent, failed")
                .tags("key", key, "event", event).register(registry);
    }

    private static double orNaN(LongSupplier value) {
        try {
            return value.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
