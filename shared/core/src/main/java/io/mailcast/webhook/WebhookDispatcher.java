package io.mailcast.webhook;

import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.Webhook;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * POSTs the send API's reports from one node, at least once each: a report is claimed from the outbox, signed with its
 * key's current webhook secret, and marked delivered only on a 2xx; otherwise it is retried with a doubling back-off
 * until {@link WebhookTuning#maxAttempts()}. A node that dies leaves its claims to expire for another node. Receivers
 * tell repeats apart by the report's id ({@code Mailcast-Webhook-Id}).
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookOutbox outbox;
    private final WebhookTransport transport;
    private final Function<String, Optional<ApiKey>> keys;
    private final String nodeId;
    private final WebhookTuning tuning;
    private final WebhookStats stats;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Semaphore permits;
    private volatile boolean running;
    private Thread poller;

    /** @param keys the API key by id, for its webhook's current URL and secret */
    public WebhookDispatcher(WebhookOutbox outbox, WebhookTransport transport, Function<String, Optional<ApiKey>> keys,
                             String nodeId, WebhookTuning tuning, WebhookStats stats, Clock clock, Sleeper sleeper) {
        this.outbox = outbox;
        this.transport = transport;
        this.keys = keys;
        this.nodeId = nodeId;
        this.tuning = tuning;
        this.stats = stats;
        this.clock = clock;
        this.sleeper = sleeper;
        this.permits = new Semaphore(tuning.concurrency());
    }

    public void start() {
        running = true;
        poller = Thread.ofVirtual().name("webhook-poller").start(this::pollLoop);
    }

    /** Claims one due report and delivers it on the calling thread; false when none was due. Tests drive it by hand. */
    public boolean deliverNext() throws InterruptedException {
        Optional<PendingWebhook> claimed = claim();
        claimed.ifPresent(this::deliver);
        return claimed.isPresent();
    }

    private Optional<PendingWebhook> claim() {
        Instant now = clock.instant();
        return outbox.claimNext(nodeId, now, now.plus(tuning.lease()));
    }

    private void pollLoop() {
        while (running) {
            try {
                permits.acquire();
                Optional<PendingWebhook> claimed;
                try {
                    claimed = claim();
                } catch (RuntimeException e) {
                    permits.release();
                    log.debug("node={} webhook outbox unreachable; next look in {}", nodeId, tuning.idlePoll(), e);
                    sleeper.sleep(tuning.idlePoll());
                    continue;
                }
                if (claimed.isEmpty()) {
                    permits.release();
                    sleeper.sleep(tuning.idlePoll());
                    continue;
                }
                Thread.ofVirtual().name("webhook-post").start(() -> {
                    try {
                        deliver(claimed.get());
                    } finally {
                        permits.release();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deliver(PendingWebhook report) {
        Instant now = clock.instant();
        Optional<Webhook> webhook = keys.apply(report.message().apiKeyId()).filter(k -> !k.revoked())
                .map(ApiKey::webhook);
        if (webhook.isEmpty()) {
            stats.gaveUp.increment();
            outbox.giveUp(report, now, "the API key was revoked or no longer has a webhook");
            return;
        }
        try {
            transport.post(report, webhook.get().url(), webhook.get().secret());
            stats.delivered.increment();
            outbox.delivered(report, clock.instant());
        } catch (WebhookException e) {
            failed(report, e.getMessage());
        } catch (InterruptedException e) {
            // Stopping: the claim expires and another node (or this one, restarted) delivers the report.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed(report, e.toString());
        }
    }

    private void failed(PendingWebhook report, String error) {
        stats.failedAttempts.increment();
        Instant now = clock.instant();
        if (report.attempt() >= tuning.maxAttempts()) {
            stats.gaveUp.increment();
            outbox.giveUp(report, now, error);
            log.warn("node={} message={} webhook given up after {} attempts: {}", nodeId, report.message().id(),
                    report.attempt(), error);
        } else {
            outbox.retryAt(report, now.plus(tuning.backoffAfter(report.attempt())), error);
        }
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
