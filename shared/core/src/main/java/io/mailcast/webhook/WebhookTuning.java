package io.mailcast.webhook;

import java.time.Duration;

/**
 * How reports are delivered, validated once.
 *
 * @param concurrency  reports POSTed at once per node
 * @param lease        how long a claim holds; longer than the transport's timeout
 * @param maxAttempts  deliveries before a report is given up
 * @param firstBackoff wait after the first failed delivery, doubling up to {@code maxBackoff}
 * @param idlePoll     longest wait between looks at an empty outbox
 */
public record WebhookTuning(int concurrency, Duration lease, int maxAttempts, Duration firstBackoff,
                            Duration maxBackoff, Duration idlePoll) {

    /** 12 attempts from 10 s doubling to an hour: about 9 hours before a report is given up. */
    public static final WebhookTuning DEFAULT = new WebhookTuning(16, Duration.ofSeconds(60), 12,
            Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(1));

    public WebhookTuning {
        if (concurrency < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("webhook concurrency and attempts must be at least 1");
        }
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0 || idlePoll.toMillis() < 10
                || lease.toSeconds() < 1) {
            throw new IllegalArgumentException("webhook back-off, poll and lease must be positive and ordered");
        }
    }

    /** The wait after failed delivery number {@code attempt}. */
    public Duration backoffAfter(int attempt) {
        Duration next = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
    }
}
