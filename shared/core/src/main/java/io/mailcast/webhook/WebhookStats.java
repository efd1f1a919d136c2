package io.mailcast.webhook;

import java.util.concurrent.atomic.LongAdder;

/** What this node's webhook deliveries did, for {@code /metrics}. */
public final class WebhookStats {
    public final LongAdder delivered = new LongAdder();
    public final LongAdder failedAttempts = new LongAdder();
    public final LongAdder gaveUp = new LongAdder();
}
